"""The portal's pages, one blueprint per module; none imports another."""
