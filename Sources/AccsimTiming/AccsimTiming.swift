// AccsimTiming owns the array timing model: analytic per-tile cycle counts for each dataflow, in
// accsim's native convention and in SCALE-Sim's, folding a layer's GEMM onto the array, and the
// cycle-stepped register-level model of one tile that defines the native counts and checks them.
// It never reads tensor values except inside the stepped model, whose only job is to prove that
// the analytic counts and the accumulation order are right. See docs/timing.md.
