"""accsim's Python package: trace reading for RTL testbenches, and model exporters.

Submodules:
    accsim.trace   read accsim golden-model traces (standard library only)
"""

__version__ = "0.1.0"
