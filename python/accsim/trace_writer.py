"""Write accsim traces (format version 1, Traces/FORMAT.md) from Python, standard library only.

A testbench uses it to write what its RTL did as an accsim trace, so that `accsim trace diff
golden.trace.gz rtl.trace.gz` (or `accsim trace dump/vcd`) works on it:

    from accsim.trace import open_trace
    from accsim.trace_writer import TraceWriter
    golden = open_trace("golden.trace.gz")
    with TraceWriter("rtl.trace.gz", golden.header) as out:
        for record in golden.records():
            out.write(record)            # the Record objects the reader yields, possibly edited

The writer produces the same bytes as accsim's own writer for the same header and records: the
same chunking (a chunk is sealed once its payload reaches 256 KiB), the same gzip members (no
time stamp, an `AT` extra field with the member's size and ordinal, zlib deflate at the given
level, window 15, memLevel 8) and compact JSON for the header.
"""

import json
import struct
import zlib

from accsim.trace import BUFFERS, CAUSES, EDGES, FORMAT_VERSION

__all__ = ["TraceWriter", "encode_record", "DEFAULT_CHUNK_BYTES"]

DEFAULT_CHUNK_BYTES = 1 << 18
_KIND_CODES = {"layer-begin": 0x01, "layer-end": 0x02, "dma": 0x10, "compute": 0x11, "requant": 0x20,
               "fold": 0x30, "edge": 0x31, "sram": 0x32}


def _uv(value, out):
    if value < 0:
        raise ValueError("an unsigned varint field is negative (%d)" % value)
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return


def _sv(value, out):
    _uv((value << 1) if value >= 0 else ((-value) << 1) - 1, out)


def _string(text, out):
    data = text.encode("utf-8")
    _uv(len(data), out)
    out += data


def _fields(record, out):
    k = record.kind
    if k == "layer-begin":
        _string(record.name, out)
        _string(record.op, out)
    elif k == "layer-end":
        out += struct.pack("<I", record.output_crc)
        if record.accumulator_crc is None:
            out.append(0)
        else:
            out.append(1)
            out += struct.pack("<I", record.accumulator_crc)
        _uv(len(record.counters), out)
        for counter in record.counters:
            _sv(counter, out)
    elif k == "dma":
        _uv(record.sequence, out)
        out.append((1 if record.direction == "store" else 0) | BUFFERS.index(record.buffer) << 1)
        _string(record.tensor, out)
        for value in (record.dram_address, record.chunk_count, record.chunk_bytes, record.stride_bytes,
                      record.sram_address, record.bank, record.half, 0 if record.after is None else record.after + 1,
                      record.completion - record.cycle):
            _uv(value, out)
    elif k == "compute":
        _uv(record.sequence, out)
        _uv(record.end - record.cycle, out)
        _uv(record.stall, out)
        out.append(CAUSES.index(record.stall_cause))
        if record.unit == "array":
            out.append(0)
            for value in (record.group, record.m_index, record.n_index, record.k_index,
                          record.m[0], record.m[1] - record.m[0], record.n[0], record.n[1] - record.n[0],
                          record.k[0], record.k[1] - record.k[0], record.folds, record.array_cycles,
                          record.requantizer_cycles):
                _uv(value, out)
            out.append(1 if record.last_chunk else 0)
        else:
            out.append(1)
            for value in (record.chunk, record.part, record.work, record.output_elements):
                _uv(value, out)
    elif k == "requant":
        _uv(record.row, out)
        _uv(record.channel, out)
        _sv(record.accumulator, out)
        out.append((0 if record.bias is None else 1) | (2 if record.saturated else 0))
        if record.bias is not None:
            _sv(record.bias, out)
        for value in (record.input, record.multiplier, record.shift, record.zero_point, record.before_saturation,
                      record.output):
            _sv(value, out)
    elif k == "fold":
        for value in (record.sequence, record.index, record.group, record.m[0], record.m[1] - record.m[0],
                      record.k[0], record.k[1] - record.k[0], record.n[0], record.n[1] - record.n[0],
                      record.end - record.cycle):
            _uv(value, out)
    elif k == "edge":
        _uv(record.index << 2 | EDGES.index(record.edge), out)
        _sv(record.value, out)
    elif k == "sram":
        out.append((1 if record.is_write else 0) | BUFFERS.index(record.buffer) << 1)
        _uv(record.bank, out)
        _uv(record.address, out)
        _uv(record.bytes, out)
    elif k == "unknown":
        out += record.body
    else:
        raise ValueError("cannot encode a record of kind %r" % k)


def encode_record(record, previous_cycle):
    """The bytes of one record whose cycle is stored as a delta from `previous_cycle`."""
    body = bytearray()
    _sv(record.cycle - previous_cycle, body)
    _uv(record.layer, body)
    _fields(record, body)
    code = record.type if record.kind == "unknown" else _KIND_CODES[record.kind]
    out = bytearray([code])
    _uv(len(body), out)
    return bytes(out + body)


class TraceWriter:
    """Writes a trace file: the header at once, records as they come, the end marker on close()."""

    def __init__(self, path, header, compression_level=6, chunk_bytes=DEFAULT_CHUNK_BYTES):
        self.path = path
        self.level = compression_level
        self.chunk_bytes = chunk_bytes
        self.handle = open(path, "wb")
        self.ordinal = 0
        self.chunks = 0
        self.records = 0
        self.payload = bytearray()
        self.count = 0
        self.previous = 0
        text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        self._member(b"ACCSIMTR" + struct.pack("<II", FORMAT_VERSION, len(text)) + text +
                     struct.pack("<I", zlib.crc32(text)))

    def _member(self, data):
        compressor = zlib.compressobj(self.level, zlib.DEFLATED, -15, 8)
        deflated = compressor.compress(data) + compressor.flush()
        size = 24 + len(deflated) + 8
        head = b"\x1f\x8b\x08\x04" + b"\x00\x00\x00\x00" + b"\x00\xff" + struct.pack("<H", 12) + b"AT" + \
            struct.pack("<HII", 8, size, self.ordinal)
        self.handle.write(head + deflated + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF))
        self.ordinal += 1

    def write(self, record):
        self.payload += encode_record(record, self.previous)
        self.previous = record.cycle
        self.count += 1
        if len(self.payload) >= self.chunk_bytes:
            self._seal()

    def _seal(self):
        if not self.count:
            return
        self.chunks += 1
        payload = bytes(self.payload)
        self._member(b"ATCK" + struct.pack("<IIII", self.chunks, self.count, len(payload), zlib.crc32(payload)) +
                     payload)
        self.records += self.count
        self.payload, self.count, self.previous = bytearray(), 0, 0

    def close(self):
        if self.handle is None:
            return
        self._seal()
        self._member(b"ATND" + struct.pack("<IQ", self.chunks, self.records))
        self.handle.close()
        self.handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
