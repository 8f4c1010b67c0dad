// AccsimHardware owns the accelerator configuration: the versioned, documented JSON schema with a
// default for every key, validation with key paths, `--set key.path=value` overrides, and the
// bundled presets. It computes nothing.
