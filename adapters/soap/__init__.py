"""The SOAP adapter over the reference contract's WSDL, through zeep."""
