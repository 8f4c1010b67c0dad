// Shift-based requantizer, one element per cycle, written from docs/arithmetic.md ("The
// requantizer") and the requant record of Traces/FORMAT.md:
//
//   in  = acc + bias                    (wrapping int32, bias only when has_bias)
//   r   = ROUND(in, mult, shift)        rounding mode below; mult * 2^-shift is the scale
//   pre = r + zero_point                (wrapping int32)
//   out = clamp(pre, clamp_min, clamp_max), sat = (out != pre)
//
// mode: 0 floor, 1 half_up, 2 half_away, 3 half_even (on the exact 64-bit product in * mult,
// shift 0..62), 4 tflite = RDBP(SRDHM(in << left, mult), right), 5 tflite_half_up =
// (SRDHM(in << left, mult) + 2^(right-1)) >> right, with left = max(31 - shift, 0) and right =
// max(shift - 31, 0). Inputs are sampled at the rising edge; the result is on the outputs after it
// (one cycle of latency), out_valid following in_valid.
//
// BUG = 4 ("rounding") rounds the last rounding step's ties toward minus infinity (half down)
// whatever the mode asks for.
module requant #(
    parameter integer BUG = 0
) (
    input  wire        clk,
    input  wire        clear,
    input  wire        in_valid,
    input  wire [2:0]  mode,
    input  wire [31:0] acc,
    input  wire        has_bias,
    input  wire [31:0] bias,
    input  wire [31:0] mult,
    input  wire [6:0]  shift,
    input  wire [31:0] zero_point,
    input  wire [31:0] clamp_min,
    input  wire [31:0] clamp_max,
    output reg         out_valid,
    output reg  [31:0] sum,
    output reg  [31:0] pre,
    output reg  [31:0] out,
    output reg         sat
);
    localparam HALF_DOWN = (BUG == 4);

    wire signed [31:0] in_sum = has_bias ? acc + bias : acc;
    wire signed [63:0] in64 = $signed({{32{in_sum[31]}}, in_sum});
    wire signed [63:0] m64 = $signed({{32{mult[31]}}, mult});

    // Plain modes: rounding of the exact product p = in * mult by 2^shift.
    wire signed [63:0] p = in64 * m64;
    wire [63:0] one = 64'd1;
    wire [63:0] half = (shift == 7'd0) ? 64'd0 : one << (shift - 7'd1);
    wire signed [63:0] floor_q = p >>> shift;
    wire [63:0] mask = (one << shift) - one;
    wire [63:0] rem = p & mask;                   // p - floor_q * 2^shift, 0 <= rem < 2^shift
    wire tie = (shift != 7'd0) && (rem == half);
    wire above = (shift != 7'd0) && (rem > half);
    /* verilator lint_off UNUSEDSIGNAL */  // results are narrowed to 32 bits
    wire signed [63:0] plain_q =
        (mode == 3'd0 || shift == 7'd0) ? floor_q
      : (above) ? floor_q + 64'sd1
      : (!tie || HALF_DOWN) ? floor_q
      : (mode == 3'd1) ? floor_q + 64'sd1                                  // ties up
      : (mode == 3'd2) ? (p < 0 ? floor_q : floor_q + 64'sd1)              // ties away from zero
      : (floor_q[0] ? floor_q + 64'sd1 : floor_q);                         // ties to even

    // TFLite modes.
    wire [6:0] left = (shift < 7'd31) ? 7'd31 - shift : 7'd0;
    wire [6:0] right = (shift > 7'd31) ? shift - 7'd31 : 7'd0;
    wire signed [31:0] shifted = in_sum << left;                           // modulo 2^32
    wire signed [63:0] hp = $signed(shifted) * m64;
    wire signed [63:0] hp_round = hp + (HALF_DOWN && right == 7'd0 ? 64'sh3fffffff : 64'sh40000000);
    wire srdhm_sat = (shifted == 32'sh80000000) && (mult == 32'h80000000);
    wire signed [63:0] hp_q = hp_round >>> 31;
    /* verilator lint_on UNUSEDSIGNAL */
    wire signed [31:0] srdhm = srdhm_sat ? 32'sh7fffffff : hp_q[31:0];
    wire signed [31:0] x_floor = srdhm >>> right;
    wire [31:0] x_mask = (32'd1 << right) - 32'd1;
    wire [31:0] x_rem = srdhm & x_mask;
    wire [31:0] x_half = (right == 7'd0) ? 32'd0 : 32'd1 << (right - 7'd1);
    wire x_tie = (right != 7'd0) && (x_rem == x_half);
    wire x_above = (right != 7'd0) && (x_rem > x_half);
    wire signed [31:0] tflite_q =
        (right == 7'd0) ? srdhm
      : (x_above) ? x_floor + 32'sd1
      : (!x_tie || HALF_DOWN) ? x_floor
      : (mode == 3'd5) ? x_floor + 32'sd1                                  // ties up
      : (srdhm < 0 ? x_floor : x_floor + 32'sd1);                          // RDBP: ties away

    wire signed [31:0] rounded = (mode >= 3'd4) ? tflite_q : plain_q[31:0];
    wire signed [31:0] with_zp = rounded + zero_point;
    wire signed [31:0] lo = clamp_min;
    wire signed [31:0] hi = clamp_max;
    wire signed [31:0] clamped = (with_zp < lo) ? lo : (with_zp > hi) ? hi : with_zp;

    always @(posedge clk) begin
        if (clear) begin
            out_valid <= 1'b0;
            sum <= 32'd0;
            pre <= 32'd0;
            out <= 32'd0;
            sat <= 1'b0;
        end else begin
            out_valid <= in_valid;
            sum <= in_sum;
            pre <= with_zp;
            out <= clamped;
            sat <= (clamped != with_zp);
        end
    end
endmodule
