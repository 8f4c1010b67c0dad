#!/usr/bin/env python3
"""Compatibility shim: the trace reader now lives in the `accsim` Python package
(`python/accsim/trace.py`; install it with `python3 -m pip install ./python`, then
`from accsim.trace import open_trace`). This file keeps `import accsim_trace` and
`python3 Scripts/accsim_trace.py dump FILE` working from a checkout."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python"))

from accsim.trace import *  # noqa: E402,F401,F403
from accsim.trace import _main, COUNTER_NAMES, TraceError, TraceReader, dump_lines, open_trace  # noqa: E402,F401

if __name__ == "__main__":
    sys.exit(_main(sys.argv))
