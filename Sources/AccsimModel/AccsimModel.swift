// AccsimModel owns the quantized graph: tensors with their quantization, constant data, the
// operations and their attributes, graph validation, the versioned `.q` container
// (docs/model-format.md) and NumPy `.npy` I/O. It knows nothing about hardware.
