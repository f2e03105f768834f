"""oastrack: track positions on draft resolutions and count the votes."""

__version__ = "0.1.0"
