// One operand register of a systolic array, shared by both arrays: it takes an operand and its
// valid bit at every rising edge (synchronous clear empties it). Chained PE to PE, it moves
// operands one column right (both arrays) or one row down (B in output_stationary) per cycle; in
// front of a row it is the "skew" bug variant's extra cycle of delay.
module operand_reg #(
    parameter integer DW = 9
) (
    input  wire          clk,
    input  wire          clear,
    input  wire          in_valid,
    input  wire [DW-1:0] in_data,
    output reg           valid,
    output reg  [DW-1:0] data
);
    always @(posedge clk) begin
        if (clear) begin
            valid <= 1'b0;
            data <= {DW{1'b0}};
        end else begin
            valid <= in_valid;
            data <= in_data;
        end
    end
endmodule
