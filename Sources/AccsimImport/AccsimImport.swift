// AccsimImport turns models and configs written by other tools into accsim's values: foreign
// formats stop here, nothing past the Graph knows them.
// - `TFLite/`: LiteRT (TensorFlow Lite) flatbuffers, read by a small bounds-checked reader of its
//   own (`TFLiteImporter`, docs/import-tflite.md).
// - `ONNX/`: quantized ONNX models in QDQ and QOperator form, read by a minimal protobuf decoder
//   (`ONNXImporter`, docs/import-onnx.md); `RequantPolicy/` converts their float scales to
//   hardware requantizers (fixed point of N bits, or Aidge-style single shift).
// - `ScaleSim/`: SCALE-Sim topology CSVs and `.cfg` files (`ScaleSimTopology`, `ScaleSimConfig`).
// Every damaged or unsupported input becomes a `ModelError` (or `HardwareConfigError`) naming the
// field, operator and tensor.
