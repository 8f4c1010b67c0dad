// AccsimImport turns models written by other tools into accsim's `Graph`: foreign formats stop
// here, nothing past the Graph knows them. `TFLite/` reads LiteRT (TensorFlow Lite) flatbuffers
// with a small bounds-checked reader of its own (`TFLiteImporter`, docs/import-tflite.md); every
// damaged or unsupported input becomes a `ModelError` naming the field, operator and tensor.
