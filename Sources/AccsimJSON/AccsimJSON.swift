// AccsimJSON is accsim's small, exact JSON layer: an ordered value type (`JSONValue`) that keeps
// integers, doubles and booleans apart, a parser that never crashes and reports line, column and
// byte offset, a strict `Decoder` that rejects unknown keys and names every error by its key path,
// and a deterministic `Encoder` whose output is byte-identical for equal input. It depends on
// nothing but the standard library.
