#!/usr/bin/env python3
"""Read accsim golden-model traces (format version 1, see Traces/FORMAT.md).

Standard library only, so a cocotb testbench can stream a trace's events with nothing else
installed (`python3 -m pip install ./python`):

    from accsim.trace import open_trace
    trace = open_trace("conv1.trace.gz")
    print(trace.header["hardware"]["name"], trace.header["level"])
    for record in trace.records():          # streams chunk by chunk
        if record.kind == "edge" and record.edge == "left":
            drive(record.cycle, record.index, record.value)

Every record has `kind`, `cycle` (global) and `layer`, plus the fields listed in FORMAT.md under
the same names as the text dump (snake_case). `record.text_line()` gives the dump line, identical
to `accsim trace dump`. A damaged file yields every record of its intact chunks, then raises
`TraceError` naming the file, the chunk and the byte offsets.

Command line:  accsim-trace dump FILE   |   accsim-trace stats FILE
"""

import json
import struct
import sys
import zlib

__all__ = [
    "FORMAT_VERSION", "COUNTER_NAMES", "TraceError", "Record", "TraceReader", "open_trace",
    "header_lines", "dump_lines",
]

FORMAT_VERSION = 1
MAGIC = b"ACCSIMTR"
CHUNK_MAGIC = b"ATCK"
END_MAGIC = b"ATND"

COUNTER_NAMES = [
    "total_cycles", "prologue_cycles", "compute_cycles", "array_cycles", "requantizer_cycles", "vector_cycles",
    "stall_input_cycles", "stall_weight_cycles", "stall_output_cycles", "stall_vector_cycles", "epilogue_cycles",
    "macs", "requantizer_ops", "vector_ops", "dma_transfers", "compute_steps",
    "dram_read_bytes", "dram_write_bytes",
    "sram_input_read_bytes", "sram_input_write_bytes", "sram_weight_read_bytes", "sram_weight_write_bytes",
    "sram_output_read_bytes", "sram_output_write_bytes",
]
BUFFERS = ["input", "weight", "output", "parameters"]
EDGES = ["left", "top", "bottom"]
CAUSES = ["-", "input", "weight", "output", "vector"]
KINDS = {0x01: "layer-begin", 0x02: "layer-end", 0x10: "dma", 0x11: "compute", 0x20: "requant",
         0x30: "fold", 0x31: "edge", 0x32: "sram"}


class TraceError(Exception):
    """A damaged, truncated or unsupported trace; says where (as accsim does)."""

    def __init__(self, kind, message, file=None, chunk=None, offset=None, uncompressed_offset=None):
        self.kind = kind  # "io", "truncated", "corrupt", "unsupported_version"
        self.message = message
        self.file = file
        self.chunk = chunk
        self.offset = offset
        self.uncompressed_offset = uncompressed_offset
        super().__init__(str(self))

    def __str__(self):
        place = []
        if self.offset is not None:
            place.append("gzip member at byte %d" % self.offset)
        if self.uncompressed_offset is not None:
            place.append("uncompressed offset %d" % self.uncompressed_offset)
        text = "%s: " % self.file if self.file is not None else ""
        if self.chunk is not None:
            text += "file header" if self.chunk == 0 else "chunk %d" % self.chunk
            if place:
                text += " (%s)" % ", ".join(place)
            text += ": "
        elif place:
            text += ", ".join(place) + ": "
        return text + self.message


class _Overrun(Exception):
    pass


class Record:
    """One event. Attributes depend on `kind`; see Traces/FORMAT.md."""

    def __init__(self, kind, cycle, layer, **fields):
        self.kind = kind
        self.cycle = cycle
        self.layer = layer
        self.__dict__.update(fields)

    def fields(self):
        return dict(self.__dict__)

    def __eq__(self, other):
        return isinstance(other, Record) and self.__dict__ == other.__dict__

    def __repr__(self):
        return "Record(%s)" % ", ".join("%s=%r" % item for item in self.__dict__.items())

    def text_line(self):
        """The line `accsim trace dump` prints for this record."""
        c, k, l = self.cycle, self.kind, self.layer
        if k == "layer-begin":
            return "%d layer-begin L%d name=%s op=%s" % (c, l, _name(self.name), _name(self.op))
        if k == "layer-end":
            line = "%d layer-end L%d out_crc=%08x acc_crc=%s" % (
                c, l, self.output_crc, "-" if self.accumulator_crc is None else "%08x" % self.accumulator_crc)
            for index, value in enumerate(self.counters):
                line += " %s=%d" % (COUNTER_NAMES[index] if index < len(COUNTER_NAMES) else "counter_%d" % index, value)
            return line
        if k == "dma":
            return ("%d dma L%d seq=%d %s buffer=%s tensor=%s dram=%s pattern=%dx%d/%d bytes=%d sram=%s bank=%d half=%d "
                    "after=%s done=%d") % (
                c, l, self.sequence, self.direction, self.buffer, _name(self.tensor), hex(self.dram_address),
                self.chunk_count, self.chunk_bytes, self.stride_bytes, self.bytes, hex(self.sram_address), self.bank,
                self.half, "-" if self.after is None else self.after, self.completion)
        if k == "compute":
            line = "%d compute L%d seq=%d" % (c, l, self.sequence)
            if self.unit == "array":
                line += (" array group=%d tile=%d,%d,%d m=%d:%d n=%d:%d k=%d:%d last=%d folds=%d array_cycles=%d "
                         "requant_cycles=%d") % (
                    self.group, self.m_index, self.n_index, self.k_index, self.m[0], self.m[1], self.n[0], self.n[1],
                    self.k[0], self.k[1], 1 if self.last_chunk else 0, self.folds, self.array_cycles,
                    self.requantizer_cycles)
            else:
                line += " vector chunk=%d part=%d work=%d outputs=%d" % (self.chunk, self.part, self.work, self.output_elements)
            return line + " end=%d stall=%d cause=%s" % (self.end, self.stall, self.stall_cause)
        if k == "requant":
            return ("%d requant L%d m=%d c=%d acc=%d bias=%s in=%d mult=%d shift=%d zp=%d pre=%d sat=%d out=%d") % (
                c, l, self.row, self.channel, self.accumulator, "-" if self.bias is None else self.bias, self.input,
                self.multiplier, self.shift, self.zero_point, self.before_saturation, 1 if self.saturated else 0,
                self.output)
        if k == "fold":
            return "%d fold L%d seq=%d fold=%d group=%d m=%d:%d k=%d:%d n=%d:%d end=%d" % (
                c, l, self.sequence, self.index, self.group, self.m[0], self.m[1], self.k[0], self.k[1], self.n[0],
                self.n[1], self.end)
        if k == "edge":
            return "%d edge L%d %s[%d]=%d" % (c, l, self.edge, self.index, self.value)
        if k == "sram":
            return "%d sram L%d %s %s bank=%d addr=%s bytes=%d" % (
                c, l, "write" if self.is_write else "read", self.buffer, self.bank, hex(self.address), self.bytes)
        return "%d unknown L%d type=0x%x bytes=%d" % (c, l, self.type, len(self.body))


def _name(value):
    plain = value != "" and all(ord(ch) > 0x20 and ch not in '="\\' and ord(ch) != 0x7F for ch in value)
    if plain:
        return value
    out = '"'
    for ch in value:
        if ch == '"':
            out += '\\"'
        elif ch == "\\":
            out += "\\\\"
        elif ch == "\n":
            out += "\\n"
        elif ch == "\t":
            out += "\\t"
        elif ch == "\r":
            out += "\\r"
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out += "\\u%04x" % ord(ch)
        else:
            out += ch
    return out + '"'


class _Source:
    """Varint reader over one record body."""

    __slots__ = ("data", "pos", "end")

    def __init__(self, data, pos, end):
        self.data, self.pos, self.end = data, pos, end

    def u8(self):
        if self.pos >= self.end:
            raise _Overrun("field runs past the end of the record")
        self.pos += 1
        return self.data[self.pos - 1]

    def u32(self):
        if self.pos + 4 > self.end:
            raise _Overrun("field runs past the end of the record")
        self.pos += 4
        return struct.unpack_from("<I", self.data, self.pos - 4)[0]

    def uv(self):
        result = shift = 0
        while True:
            byte = self.u8()
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                if result >> 64:
                    raise _Overrun("varint overflows 64 bits")
                return result
            shift += 7
            if shift > 63:
                raise _Overrun("varint longer than 10 bytes")

    def sv(self):
        raw = self.uv()
        return (raw >> 1) ^ -(raw & 1)

    def string(self):
        count = self.uv()
        if self.pos + count > self.end:
            raise _Overrun("string runs past the end of the record")
        self.pos += count
        return bytes(self.data[self.pos - count:self.pos]).decode("utf-8", errors="replace")


def _decode_payload(payload):
    """The records of one chunk payload, and their encoded sizes."""
    records, sizes = [], []
    pos, previous, end = 0, 0, len(payload)
    while pos < end:
        start = pos
        head = _Source(payload, pos, end)
        kind_code = head.u8()
        length = head.uv()
        if head.pos + length > end:
            raise _Overrun("record of type 0x%x claims %d bytes, %d remain" % (kind_code, length, end - head.pos))
        body = _Source(payload, head.pos, head.pos + length)
        pos = head.pos + length
        cycle = previous + body.sv()
        previous = cycle
        layer = body.uv()
        records.append(_decode_body(kind_code, cycle, layer, body))
        sizes.append(pos - start)
    return records, sizes


def _decode_body(code, cycle, layer, b):
    if code == 0x01:
        return Record("layer-begin", cycle, layer, name=b.string(), op=b.string())
    if code == 0x02:
        output = b.u32()
        accumulators = b.u32() if b.u8() else None
        counters = [b.sv() for _ in range(b.uv())]
        return Record("layer-end", cycle, layer, output_crc=output, accumulator_crc=accumulators, counters=counters)
    if code == 0x10:
        sequence = b.uv()
        flags = b.u8()
        tensor = b.string()
        dram, count, chunk, stride, sram, bank, half, after, duration = (b.uv() for _ in range(9))
        return Record("dma", cycle, layer, sequence=sequence, direction="store" if flags & 1 else "load",
                      buffer=BUFFERS[flags >> 1], tensor=tensor, dram_address=dram, chunk_count=count,
                      chunk_bytes=chunk, stride_bytes=stride, bytes=count * chunk, sram_address=sram, bank=bank,
                      half=half, after=None if after == 0 else after - 1, completion=cycle + duration)
    if code == 0x11:
        sequence, duration, stall = b.uv(), b.uv(), b.uv()
        cause = CAUSES[b.u8()]
        unit = b.u8()
        common = dict(sequence=sequence, end=cycle + duration, stall=stall, stall_cause=cause)
        if unit == 0:
            v = [b.uv() for _ in range(13)]
            return Record("compute", cycle, layer, unit="array", group=v[0], m_index=v[1], n_index=v[2], k_index=v[3],
                          m=(v[4], v[4] + v[5]), n=(v[6], v[6] + v[7]), k=(v[8], v[8] + v[9]), folds=v[10],
                          array_cycles=v[11], requantizer_cycles=v[12], last_chunk=bool(b.u8()), **common)
        return Record("compute", cycle, layer, unit="vector", chunk=b.uv(), part=b.uv(), work=b.uv(),
                      output_elements=b.uv(), **common)
    if code == 0x20:
        row, channel, accumulator = b.uv(), b.uv(), b.sv()
        flags = b.u8()
        bias = b.sv() if flags & 1 else None
        return Record("requant", cycle, layer, row=row, channel=channel, accumulator=accumulator, bias=bias,
                      input=b.sv(), multiplier=b.sv(), shift=b.sv(), zero_point=b.sv(), before_saturation=b.sv(),
                      saturated=bool(flags & 2), output=b.sv())
    if code == 0x30:
        v = [b.uv() for _ in range(10)]
        return Record("fold", cycle, layer, sequence=v[0], index=v[1], group=v[2], m=(v[3], v[3] + v[4]),
                      k=(v[5], v[5] + v[6]), n=(v[7], v[7] + v[8]), end=cycle + v[9])
    if code == 0x31:
        packed = b.uv()
        return Record("edge", cycle, layer, edge=EDGES[packed & 3], index=packed >> 2, value=b.sv())
    if code == 0x32:
        flags = b.u8()
        return Record("sram", cycle, layer, buffer=BUFFERS[flags >> 1], is_write=bool(flags & 1), bank=b.uv(),
                      address=b.uv(), bytes=b.uv())
    return Record("unknown", cycle, layer, type=code, body=bytes(b.data[b.pos:b.end]))


class _Inflater:
    """Inflates gzip members one after another, in pieces, remembering where each began."""

    def __init__(self, data):
        self.data = data
        self.pos = 0
        self.member = None  # zlib decompressobj of the open member
        self.member_offset = 0
        self.produced = 0
        self.members = []  # [uncompressed start, uncompressed end or None, compressed offset]
        self.failure = None  # (member offset, truncated?, message)

    def member_of(self, offset):
        for start, end, compressed in reversed(self.members):
            if start <= offset:
                return compressed if end is None or offset < end else None
        return None

    def read(self, piece=1 << 16):
        """The next decompressed bytes (b"" at the end or after a failure, see `failure`)."""
        out = bytearray()
        while not out and self.failure is None:
            if self.member is None:
                if self.pos >= len(self.data):
                    break
                if self.data[self.pos:self.pos + 2] != b"\x1f\x8b":
                    message = "expected a gzip member (1f 8b), found other bytes"
                    truncated = len(self.data) - self.pos < 2 and self.data[self.pos:self.pos + 1] == b"\x1f"
                    self.failure = (self.pos, truncated, "the file ends inside a gzip member header (truncated)"
                                    if truncated else message)
                    break
                self.member = zlib.decompressobj(31)
                self.member_offset = self.pos
                self.members.append([self.produced, None, self.pos])
            chunk = self.data[self.pos:self.pos + piece]
            backup = self.member.copy()
            try:
                produced = self.member.decompress(chunk)
            except zlib.error as error:
                # Keep what inflates before the damage: replay the piece in small slices.
                self.member = backup
                for start in range(0, len(chunk), 256):
                    try:
                        out += self.member.decompress(chunk[start:start + 256])
                    except zlib.error:
                        break
                self.failure = (self.member_offset, False, "corrupt gzip data (zlib: %s)" % error)
                break
            out += produced
            self.produced += len(produced)
            if self.member.eof:
                self.pos += len(chunk) - len(self.member.unused_data)
                self.members[-1][1] = self.produced
                self.member = None
            else:
                self.pos += len(chunk)
                if self.pos >= len(self.data):
                    out += self.member.flush()
                    self.failure = (self.member_offset, True, "the file ends inside a gzip member (truncated)")
        return bytes(out)


class TraceReader:
    """A trace file: `header` (dict, as stored), then `chunks()` / `records()` in order."""

    def __init__(self, path=None, data=None, name=None):
        if data is None:
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError as error:
                raise TraceError("io", "cannot read the file (%s)" % error.strerror, file=path)
        self.name = name or path or "<memory>"
        self.compressed_bytes = len(data)
        self._inflater = _Inflater(data)
        self._buf = bytearray()
        self._base = 0  # uncompressed offset of _buf[0]
        self._cur = 0
        self.chunks_read = 0
        self.records_read = 0
        self.reached_end = False
        if data[:2] != b"\x1f\x8b":
            raise TraceError("corrupt", "not a gzip file, so not an accsim trace", self.name, 0, 0)
        if not self._fill(16):
            raise self._stop(0, 0, "the file ends inside the file header")
        if bytes(self._buf[:8]) != MAGIC:
            raise TraceError("corrupt", "not an accsim trace (magic %r)" % bytes(self._buf[:8]), self.name, 0, 0, 0)
        version, length = struct.unpack_from("<II", self._buf, 8)
        if version > FORMAT_VERSION:
            raise TraceError("unsupported_version", "format version %d is newer than this reader reads (%d); update it"
                             % (version, FORMAT_VERSION), self.name, 0, 0)
        if not self._fill(16 + length + 4):
            raise self._stop(0, 0, "the file ends inside the file header")
        text = bytes(self._buf[16:16 + length])
        if zlib.crc32(text) != struct.unpack_from("<I", self._buf, 16 + length)[0]:
            raise TraceError("corrupt", "file header CRC mismatch", self.name, 0, 0, 0)
        self.header = json.loads(text.decode("utf-8"))
        self._cur = 16 + length + 4

    # -- buffering

    def _fill(self, end):
        while len(self._buf) < end:
            if self._inflater.failure is not None:
                return False
            piece = self._inflater.read()
            if not piece and self._inflater.failure is None:
                return False
            self._buf += piece
        return True

    def _stop(self, chunk, start, message):
        failure = self._inflater.failure
        if failure is not None and not failure[1]:
            return TraceError("corrupt", failure[2], self.name, chunk, failure[0], start)
        offset = self._inflater.member_of(start)
        if offset is None and failure is not None:
            offset = failure[0]
        return TraceError("truncated", message, self.name, chunk, offset, start)

    def _error(self, chunk, start, message):
        return TraceError("corrupt", message, self.name, chunk, self._inflater.member_of(start), start)

    # -- chunks

    def next_chunk(self):
        """(index, records, sizes) of the next chunk, or None after the end marker."""
        if self.reached_end:
            return None
        index = self.chunks_read + 1
        start = self._base + self._cur
        if not self._fill(self._cur + 4):
            if len(self._buf) == self._cur and self._inflater.failure is None:
                offset = self._inflater.member_of(start)
                raise TraceError("truncated", "the file ends after chunk %d without the end marker (truncated)"
                                 % (index - 1), self.name, index,
                                 self._inflater.pos if offset is None else offset, start)
            raise self._stop(index, start, "the file ends inside chunk %d (truncated)" % index)
        magic = bytes(self._buf[self._cur:self._cur + 4])
        if magic == END_MAGIC:
            if not self._fill(self._cur + 16):
                raise self._stop(index, start, "the file ends inside the end marker (truncated)")
            chunks, records = struct.unpack_from("<IQ", self._buf, self._cur + 4)
            if chunks != self.chunks_read or records != self.records_read:
                raise self._error(index, start, "the end marker counts %d chunks and %d records, the file holds %d and %d"
                                  % (chunks, records, self.chunks_read, self.records_read))
            self._cur += 16
            if self._fill(self._cur + 1):
                raise self._error(index, self._base + self._cur, "unexpected data after the end marker")
            if self._inflater.failure is not None:
                failure = self._inflater.failure
                raise TraceError("truncated" if failure[1] else "corrupt", failure[2], self.name, index, failure[0],
                                 self._base + self._cur)
            self.reached_end = True
            return None
        if magic != CHUNK_MAGIC:
            raise self._error(index, start, "expected a chunk header (ATCK) or the end marker (ATND), found bytes %r" % magic)
        if not self._fill(self._cur + 20):
            raise self._stop(index, start, "the file ends inside the header of chunk %d (truncated)" % index)
        stored, count, length, crc = struct.unpack_from("<IIII", self._buf, self._cur + 4)
        if stored != index:
            raise self._error(index, start, "found chunk %d where chunk %d belongs (a chunk is missing or out of order)"
                              % (stored, index))
        payload_start = self._cur + 20
        if not self._fill(payload_start + length):
            raise self._stop(index, start, "the file ends inside chunk %d (%d of %d payload bytes present; truncated)"
                             % (index, len(self._buf) - payload_start, length))
        payload = bytes(self._buf[payload_start:payload_start + length])
        if zlib.crc32(payload) != crc:
            raise self._error(index, start, "payload CRC mismatch (stored %08x, computed %08x)" % (crc, zlib.crc32(payload)))
        try:
            records, sizes = _decode_payload(payload)
        except (_Overrun, IndexError) as error:
            raise self._error(index, start, "undecodable record: %s" % error)
        if len(records) != count:
            raise self._error(index, start, "the chunk header counts %d records, the payload holds %d" % (count, len(records)))
        self._cur = payload_start + length
        self.chunks_read = index
        self.records_read += count
        if self._cur > 1 << 20:
            del self._buf[:self._cur]
            self._base += self._cur
            self._cur = 0
        return index, records, sizes

    def chunks(self):
        while True:
            chunk = self.next_chunk()
            if chunk is None:
                return
            yield chunk

    def records(self):
        """Every record in order; raises TraceError after the last intact chunk of a damaged file."""
        for _, records, _ in self.chunks():
            for record in records:
                yield record


def open_trace(path):
    """Opens a trace file and reads its header."""
    return TraceReader(path)


def _compact_json(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def header_lines(header):
    """The `#` lines `accsim trace dump` prints for a header."""
    layers = header.get("traced_layers")
    window = header.get("cycle_window")
    elements = header["element_widths"]
    array = header["array"]
    lines = [
        "# accsim trace format %d, written by accsim %s" % (header["format_version"], header["accsim_version"]),
        "# level: %s" % header["level"],
        "# traced_layers: %s" % (_layer_list(layers) if layers is not None else "all"),
        "# cycle_window: %s" % ("%d:%s" % (window["from"], window.get("to", "")) if window is not None else "all"),
        "# sample: %d" % header["sample"],
        "# model: %s hash=%s" % (_name(header["model"]["name"]), header["model"]["hash"]),
        "# hardware: %s hash=%s" % (_name(header["hardware"]["name"]), header["hardware"]["hash"]),
        "# array: %dx%d %s convention=%s clock_mhz=%d" % (array["rows"], array["cols"], array["dataflow"],
                                                           array["convention"], header["clock_mhz"]),
        "# element_bits: input=%d weight=%d accumulator=%d output=%d" % (
            elements["input"], elements["weight"], elements["accumulator"], elements["output"]),
        "# overflow: %s rounding: %s" % (header["overflow"], ",".join(header["rounding"]) or "-"),
        "# total_cycles: %d" % header["total_cycles"],
    ]
    for layer in header["layers"]:
        lines.append("# layer L%d name=%s op=%s start=%d cycles=%d rounding=%s" % (
            layer["index"], _name(layer["name"]), layer["op"], layer["start_cycle"], layer["cycles"],
            layer.get("rounding") or "-"))
    lines.append("# hardware_config: %s" % _compact_json(header["hardware"]["config"]))
    return lines


def _layer_list(indices):
    parts, i = [], 0
    while i < len(indices):
        j = i
        while j + 1 < len(indices) and indices[j + 1] == indices[j] + 1:
            j += 1
        parts.append(str(indices[i]) if i == j else "%d-%d" % (indices[i], indices[j]))
        i = j + 1
    return ",".join(parts)


def dump_lines(path):
    """The dump of a trace, line by line (raises TraceError after the intact part)."""
    reader = open_trace(path)
    for line in header_lines(reader.header):
        yield line
    for record in reader.records():
        yield record.text_line()


def _main(argv):
    if len(argv) != 3 or argv[1] not in ("dump", "stats"):
        sys.stderr.write("usage: accsim-trace dump|stats FILE\n")
        return 2
    try:
        if argv[1] == "dump":
            out = sys.stdout
            for line in dump_lines(argv[2]):
                out.write(line + "\n")
        else:
            reader = open_trace(argv[2])
            counts = {}
            for _, records, sizes in reader.chunks():
                for record, size in zip(records, sizes):
                    entry = counts.setdefault(record.kind, [0, 0])
                    entry[0] += 1
                    entry[1] += size
            print("%s on %s, level %s: %d records in %d chunks, %d bytes" % (
                reader.header["model"]["name"], reader.header["hardware"]["name"], reader.header["level"],
                reader.records_read, reader.chunks_read, reader.compressed_bytes))
            for kind, (count, size) in sorted(counts.items()):
                print("  %-12s %9d records %11d bytes" % (kind, count, size))
    except TraceError as error:
        sys.stdout.flush()
        sys.stderr.write("accsim_trace: error: %s\n" % error)
        return 2
    return 0


def main():
    """Entry point of the `accsim-trace` command."""
    sys.exit(_main(sys.argv))


if __name__ == "__main__":
    main()
