// AccsimReport renders results the engine counted: terminal tables and JSON. It computes no
// statistics of its own.
