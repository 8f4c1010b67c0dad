// The multiplier of one processing element, shared by both arrays: a DW-bit signed weight times a
// DW-bit signed operand, as an ACC_W-bit two's-complement product (|product| < 2^(2*DW-2), so it
// is exact whenever ACC_W >= 2*DW - 1).
//
// UNSIGNED_WEIGHT = 1 selects the "signed" bug variant: the weight's low byte is read as an
// unsigned 8-bit value (a negative int8 weight w multiplies as w + 256).
module pe_multiply #(
    parameter integer DW = 9,
    parameter integer ACC_W = 32,
    parameter integer UNSIGNED_WEIGHT = 0
) (
    input  wire [DW-1:0]    weight,
    input  wire [DW-1:0]    operand,
    output wire [ACC_W-1:0] product
);
    wire signed [ACC_W-1:0] w = (UNSIGNED_WEIGHT != 0)
        ? $signed({{(ACC_W-8){1'b0}}, weight[7:0]})
        : $signed({{(ACC_W-DW){weight[DW-1]}}, weight});
    wire signed [ACC_W-1:0] a = $signed({{(ACC_W-DW){operand[DW-1]}}, operand});
    assign product = w * a;
endmodule
