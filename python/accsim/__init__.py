"""accsim's Python package: trace reading for RTL testbenches, and model exporters.

Submodules:
    accsim.trace         read accsim golden-model traces (standard library only)
    accsim.trace_writer  write traces (byte-identical to accsim's writer)
    accsim.trace_rtl     an RTL simulation's observed values as a trace, for `accsim trace diff`
"""

__version__ = "0.1.0"
