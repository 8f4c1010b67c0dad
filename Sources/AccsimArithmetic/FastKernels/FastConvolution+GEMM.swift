/// The GEMM path of ``FastConvolution``: im2col of unsigned bytes, the packed int8 GEMM of the
/// kernel path, zero-point corrections and the requantizer rows.
extension FastConvolution {
    /// Per-worker buffers of the GEMM path.
    private struct Scratch {
        let a: UnsafeMutablePointer<UInt8>
        let rowSums: UnsafeMutablePointer<Int32>
        /// The (group, chunk) whose receptive fields `a` holds.
        var loaded: (group: Int, chunk: Int)?
    }

    func gemmConvolution(
        input: IntTensor, inputZeroPoint: Int32, geometry g: Geometry, threads: Int, requantize: Bool,
        output: UnsafeMutablePointer<Int32>
    ) {
        let kp = packed[0].kp
        // Gathered rows are `kp` bytes apart plus a gap the short copies may overrun into.
        let lda = kp + 16
        let groupOutChannels = outChannels / groups
        // Activations as unsigned bytes: x + 128 for int8, x for uint8.
        let shift: Int32 = input.elementType == .int8 ? 128 : 0
        let x0 = inputZeroPoint &+ shift
        // (The slack lets the gather copy short runs in 16-byte pieces.) Converted in blocks on the
        // layer's threads: serial, it was a tenth of a 1×1 layer's time on one thread.
        let activations = [UInt8](unsafeUninitializedCapacity: input.count + Self.slack) { bytes, initialized in
            input.values.withUnsafeBufferPointer { values in
                guard let source = values.baseAddress, let destination = bytes.baseAddress else { return }
                let block = 1 << 14
                FastKernels.parallelFor((values.count + block - 1) / block, threads: threads) { b in
                    let start = b * block
                    Self.narrow(
                        source + start, adding: shift, into: destination + start,
                        count: min(block, values.count - start))
                }
            }
            for i in input.count..<(input.count + Self.slack) { bytes[i] = 0 }
            initialized = input.count + Self.slack
        }
        // Column terms: bias − X0·Σs + K·W0·X0 (wrapping).
        var offsets = [Int32](repeating: 0, count: outChannels)
        for group in 0..<groups {
            let sums = packed[group].columnSums
            for j in 0..<groupOutChannels {
                let oc = group * groupOutChannels + j
                offsets[oc] =
                    bias[oc] &- x0 &* sums[j] &+ Int32(truncatingIfNeeded: reduction) &* weightOffsets[oc] &* x0
            }
        }
        // Tiles: chunks of output rows (A chunk ≈ 192 KiB, L2-resident) × column pieces of the group;
        // `gemmPlan` balances them over the threads.
        let maxRows = max(6, min(1020, 196_608 / lda) / 6 * 6)
        let plan = Self.gemmPlan(
            rows: g.rows, groups: groups, groupOutChannels: groupOutChannels, kp: kp, maxRows: maxRows, threads: threads
        )
        let (chunkRows, chunks, pieceWidth, pieces) = (plan.chunkRows, plan.chunks, plan.pieceWidth, plan.pieces)
        let items = groups * chunks * pieces
        let x0Byte = UInt8(truncatingIfNeeded: x0)

        activations.withUnsafeBufferPointer { activations in
            offsets.withUnsafeBufferPointer { offsets in
                weightOffsets.withUnsafeBufferPointer { weightOffsets in
                    nonisolated(unsafe) let output = output
                    FastKernels.parallelFor(
                        items, threads: threads,
                        scratch: { _ in
                            Scratch(
                                a: .allocate(capacity: chunkRows * lda + Self.slack),
                                rowSums: .allocate(capacity: chunkRows), loaded: nil)
                        },
                        { scratch, item in
                            let piece = item % pieces
                            let chunk = (item / pieces) % chunks
                            let group = item / (pieces * chunks)
                            let firstRow = chunk * chunkRows
                            let rows = min(chunkRows, g.rows - firstRow)
                            guard rows > 0 else { return }
                            if scratch.loaded.map({ $0.group != group || $0.chunk != chunk }) ?? true {
                                gatherReceptiveFields(
                                    activations.baseAddress!, geometry: g, group: group, firstRow: firstRow, rows: rows,
                                    x0: x0Byte, kp: kp, lda: lda, into: scratch.a)
                                if hasWeightOffsets {
                                    sumRows(scratch.a, rows: rows, kp: kp, lda: lda, into: scratch.rowSums)
                                }
                                scratch.loaded = (group, chunk)
                            }
                            let columns = (piece * pieceWidth)..<min(groupOutChannels, (piece + 1) * pieceWidth)
                            let firstChannel = group * groupOutChannels + columns.lowerBound
                            // The accumulators go straight to their place in the output, then are
                            // corrected and requantized there.
                            let c = output + firstRow * outChannels + firstChannel
                            FastKernels.gemm(
                                a: scratch.a, lda: lda, weights: packed[group], columns: columns,
                                offsets: offsets.baseAddress! + firstChannel, c: c, ldc: outChannels, m: rows)
                            if hasWeightOffsets {
                                for row in 0..<rows {
                                    let rowSum = scratch.rowSums[row]
                                    let accumulators = c + row * outChannels
                                    for j in 0..<columns.count {
                                        accumulators[j] &-= weightOffsets[firstChannel + j] &* rowSum
                                    }
                                }
                            }
                            if requantize {
                                requantizer.apply(
                                    c, sourceStride: outChannels, c, destinationStride: outChannels, rows: rows,
                                    columns: columns.count, firstChannel: firstChannel)
                            }
                        },
                        finish: { scratch in
                            scratch.a.deallocate()
                            scratch.rowSums.deallocate()
                        })
                }
            }
        }
    }

    /// im2col for output rows `firstRow ..< firstRow + rows` of group `group`: row `r` of `a` (at
    /// `a + r·lda`) holds the receptive field of output pixel `firstRow + r` in `(ky, kx, ic)`
    /// order (the OHWI weight order), taps outside the image as `x0`, and zeros from K to `kp`.
    ///
    /// The loops run per output row segment, then per kernel row, then along the output pixels, so
    /// each kernel row of each pixel is one short copy (one run of `KW·Cin` bytes when the window
    /// row lies inside the image and the channels are not split into groups). Short copies write
    /// whole 16-byte pieces: their overrun lands in the next kernel row's bytes (written after),
    /// in the K tail (zeroed last) or in the gap between rows (`lda − kp ≥ 16`, never read).
    private func gatherReceptiveFields(
        _ activations: UnsafePointer<UInt8>, geometry g: Geometry, group: Int, firstRow: Int, rows: Int, x0: UInt8,
        kp: Int,
        lda: Int, into a: UnsafeMutablePointer<UInt8>
    ) {
        let cg = groupInChannels
        let cin = g.channels
        let tapRun = kernelWidth * cg
        let contiguous = dilation.width == 1 && cg == cin
        let lastTapOffset = (kernelWidth - 1) * dilation.width
        var r = 0
        while r < rows {
            let row = firstRow + r
            let ox0 = row % g.outWidth
            let oy = (row / g.outWidth) % g.outHeight
            let b = row / (g.outWidth * g.outHeight)
            let span = min(rows - r, g.outWidth - ox0)
            let first = a + r * lda
            for ky in 0..<kernelHeight {
                let iy = oy * stride.height - padding.top + ky * dilation.height
                var destination = first + ky * tapRun
                guard iy >= 0 && iy < g.height else {
                    for _ in 0..<span {
                        Self.fill(destination, x0, count: tapRun)
                        destination += lda
                    }
                    continue
                }
                let source = activations + (b * g.height + iy) * g.width * cin + group * cg
                var ix0 = ox0 * stride.width - padding.left
                for _ in 0..<span {
                    if contiguous && ix0 >= 0 && ix0 + lastTapOffset < g.width {
                        Self.copy(destination, source + ix0 * cin, count: tapRun)
                    } else {
                        for kx in 0..<kernelWidth {
                            let ix = ix0 + kx * dilation.width
                            if ix >= 0 && ix < g.width {
                                Self.copy(destination + kx * cg, source + ix * cin, count: cg)
                            } else {
                                Self.fill(destination + kx * cg, x0, count: cg)
                            }
                        }
                    }
                    destination += lda
                    ix0 += stride.width
                }
            }
            var tail = first + reduction
            for _ in 0..<span {
                tail.update(repeating: 0, count: kp - reduction)
                tail += lda
            }
            r += span
        }
    }

    /// `destination[i] = UInt8(truncatingIfNeeded: source[i] &+ add)`, 16 values at a time.
    private static func narrow(
        _ source: UnsafePointer<Int32>, adding add: Int32, into destination: UnsafeMutablePointer<UInt8>, count: Int
    ) {
        let lanes = SIMD16<Int32>(repeating: add)
        var i = 0
        while i + 16 <= count {
            let values = UnsafeRawPointer(source + i).loadUnaligned(as: SIMD16<Int32>.self) &+ lanes
            UnsafeMutableRawPointer(destination + i).storeBytes(
                of: SIMD16<UInt8>(truncatingIfNeeded: values), as: SIMD16<UInt8>.self)
            i &+= 16
        }
        while i < count {
            destination[i] = UInt8(truncatingIfNeeded: source[i] &+ add)
            i &+= 1
        }
    }

    /// Bytes of slack after the activations and the gathered rows: short copies move whole
    /// 16-byte pieces and may read and write up to 15 bytes past their end.
    static let slack = 64

    /// Copies `count` bytes; runs up to 64 bytes move in 16-byte pieces that may overrun by up to
    /// 15 bytes on both sides (the gather writes left to right, so later writes repair the
    /// overrun, and the buffers carry ``slack``).
    @inline(__always)
    private static func copy(_ destination: UnsafeMutablePointer<UInt8>, _ source: UnsafePointer<UInt8>, count: Int) {
        if count > 64 {
            destination.update(from: source, count: count)
            return
        }
        var offset = 0
        while offset < count {
            let piece = UnsafeRawPointer(source + offset).loadUnaligned(as: SIMD16<UInt8>.self)
            UnsafeMutableRawPointer(destination + offset).storeBytes(of: piece, as: SIMD16<UInt8>.self)
            offset &+= 16
        }
    }

    /// Sets `count` bytes to `value`, with the overrun rules of ``copy(_:_:count:)``.
    @inline(__always)
    private static func fill(_ destination: UnsafeMutablePointer<UInt8>, _ value: UInt8, count: Int) {
        if count > 64 {
            destination.update(repeating: value, count: count)
            return
        }
        let piece = SIMD16<UInt8>(repeating: value)
        var offset = 0
        while offset < count {
            UnsafeMutableRawPointer(destination + offset).storeBytes(of: piece, as: SIMD16<UInt8>.self)
            offset &+= 16
        }
    }

    /// `Σ_k a[r][k]` for every gathered row (the W0 correction's factor).
    private func sumRows(
        _ a: UnsafeMutablePointer<UInt8>, rows: Int, kp: Int, lda: Int, into sums: UnsafeMutablePointer<Int32>
    ) {
        for r in 0..<rows {
            let row = a + r * lda
            var sum: Int32 = 0
            for k in 0..<kp { sum &+= Int32(row[k]) }
            sums[r] = sum
        }
    }
}

extension FastConvolution {
    /// How the GEMM path cuts a layer into work items: row chunks of `chunkRows` (a multiple of
    /// 6, at most `maxRows`) × column pieces of `pieceWidth` (a multiple of 16, at least 64 unless
    /// the group is narrower), items ordered (group, chunk, piece).
    struct GEMMPlan: Equatable {
        let chunkRows, chunks, pieceWidth, pieces: Int
    }

    /// The plan whose busiest thread has the least work under `parallelFor`'s contiguous ranges:
    /// each item costs its multiply-accumulates, plus its gather (`kp` bytes a row, weighted as
    /// 16 MACs a byte) when its worker has not gathered that (group, chunk) just before, plus a
    /// fixed cost. One thread: the fewest chunks, whole groups. The plan changes only how work is
    /// cut, never a result.
    static func gemmPlan(
        rows: Int, groups: Int, groupOutChannels: Int, kp: Int, maxRows: Int, threads: Int
    ) -> GEMMPlan {
        func plan(chunks wanted: Int, pieces wantedPieces: Int) -> GEMMPlan {
            let chunkRows = min(maxRows, ((rows + wanted - 1) / wanted + 5) / 6 * 6)
            let pieceWidth =
                wantedPieces == 1 ? groupOutChannels : ((groupOutChannels + wantedPieces - 1) / wantedPieces + 15) & ~15
            return GEMMPlan(
                chunkRows: chunkRows, chunks: (rows + chunkRows - 1) / chunkRows, pieceWidth: pieceWidth,
                pieces: (groupOutChannels + pieceWidth - 1) / pieceWidth)
        }
        let fewest = (rows + maxRows - 1) / maxRows
        guard threads > 1 else { return plan(chunks: fewest, pieces: 1) }
        func busiest(_ p: GEMMPlan) -> Int {
            let items = groups * p.chunks * p.pieces
            // Many items (grouped layers) balance by themselves; not worth the evaluation.
            if items > 4 * threads * 64 { return Int.max }
            let workers = min(threads, items)
            var worst = 0
            for worker in 0..<workers {
                var cost = 0
                var loaded = -1
                for item in (worker * items / workers)..<((worker + 1) * items / workers) {
                    let piece = item % p.pieces
                    let chunk = (item / p.pieces) % p.chunks
                    let group = item / (p.pieces * p.chunks)
                    let chunkRows = min(p.chunkRows, rows - chunk * p.chunkRows)
                    let width = min(p.pieceWidth, groupOutChannels - piece * p.pieceWidth)
                    cost += chunkRows * width * kp + 2_000
                    if loaded != group * p.chunks + chunk {
                        cost += chunkRows * kp * 16
                        loaded = group * p.chunks + chunk
                    }
                }
                worst = max(worst, cost)
            }
            return worst
        }
        var best = plan(chunks: fewest, pieces: 1)
        var bestCost = groups * best.chunks >= 4 * threads * 64 ? 0 : busiest(best)
        // Candidates: the fewest chunks; (group, chunk) counts a multiple of the thread count; twice
        // that; each with the columns whole or in 2, 4 or 8 pieces.
        let most = (rows + 5) / 6
        let balanced = ((groups * fewest + threads - 1) / threads * threads + groups - 1) / groups
        for chunks in Set([fewest, balanced, 2 * balanced]).map({ min($0, most) }).sorted() {
            for pieces in [1, 2, 4, 8] where pieces == 1 || groupOutChannels / pieces >= 64 {
                let candidate = plan(chunks: chunks, pieces: pieces)
                let cost = busiest(candidate)
                if cost < bestCost {
                    best = candidate
                    bestCost = cost
                }
            }
        }
        return best
    }
}
