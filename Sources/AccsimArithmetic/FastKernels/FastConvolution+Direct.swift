/// The direct path of ``FastConvolution``: int32 multiply-adds over the taps for groups of fewer
/// than ``FastConvolution/directGroupWidth`` output channels (the portable depthwise kernel).
extension FastConvolution {
    func directConvolution(
        input: IntTensor, inputZeroPoint: Int32, geometry g: Geometry, threads: Int, requantize: Bool,
        output: UnsafeMutablePointer<Int32>
    ) {
        let cg = groupInChannels
        let groupOutChannels = outChannels / groups
        let cout = outChannels
        let depthwise = cg == 1 && groupOutChannels == 1
        let rowsPerItem = max(1, 4096 / max(1, cout))
        let items = (g.rows + rowsPerItem - 1) / rowsPerItem
        input.values.withUnsafeBufferPointer { x in
            directWeights.withUnsafeBufferPointer { w in
                bias.withUnsafeBufferPointer { bias in
                    nonisolated(unsafe) let output = output
                    FastKernels.parallelFor(
                        items, threads: threads,
                        scratch: { _ in UnsafeMutablePointer<Int32>.allocate(capacity: cout) },
                        { acc, item in
                            let firstRow = item * rowsPerItem
                            for row in firstRow..<min(g.rows, firstRow + rowsPerItem) {
                                let ox = row % g.outWidth
                                let oy = (row / g.outWidth) % g.outHeight
                                let b = row / (g.outWidth * g.outHeight)
                                acc.update(from: bias.baseAddress!, count: cout)
                                for ky in 0..<kernelHeight {
                                    let iy = oy * stride.height - padding.top + ky * dilation.height
                                    if iy < 0 || iy >= g.height { continue }
                                    for kx in 0..<kernelWidth {
                                        let ix = ox * stride.width - padding.left + kx * dilation.width
                                        if ix < 0 || ix >= g.width { continue }
                                        let pixel = x.baseAddress! + ((b * g.height + iy) * g.width + ix) * g.channels
                                        let tapWeights = w.baseAddress! + (ky * kernelWidth + kx) * cg * cout
                                        if depthwise {
                                            for c in 0..<cout {
                                                acc[c] &+= tapWeights[c] &* (pixel[c] &- inputZeroPoint)
                                            }
                                            continue
                                        }
                                        for group in 0..<groups {
                                            for icg in 0..<cg {
                                                let value = pixel[group * cg + icg] &- inputZeroPoint
                                                let weights = tapWeights + icg * cout + group * groupOutChannels
                                                let sums = acc + group * groupOutChannels
                                                for j in 0..<groupOutChannels { sums[j] &+= weights[j] &* value }
                                            }
                                        }
                                    }
                                }
                                let destination = output + row * cout
                                if requantize {
                                    requantizer.apply(acc, destination, count: cout, firstChannel: 0)
                                } else {
                                    destination.update(from: acc, count: cout)
                                }
                            }
                        },
                        finish: { acc in acc.deallocate() })
                }
            }
        }
    }
}
