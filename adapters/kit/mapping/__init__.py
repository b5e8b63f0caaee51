"""The mapping file: a foreign JSON-over-HTTP ERP mapped onto the port declaratively (docs/adapters.md,
"Mapping file"), with Python hooks for what the file cannot say."""

from adapters.kit.mapping.billing import Call as MappingCall
from adapters.kit.mapping.billing import MappingBilling
from adapters.kit.mapping.converters import ConvertError, odata_date, to_date, to_datetime, to_decimal
from adapters.kit.mapping.loader import MappingError, MappingFile, load_mapping

__all__ = ["MappingBilling", "MappingCall", "MappingError", "MappingFile", "load_mapping", "ConvertError",
           "odata_date", "to_date", "to_datetime", "to_decimal"]
