// Weight-stationary systolic array of ROWS x COLS processing elements (PEs), written from the
// timing contract of docs/timing.md ("Weight stationary") and the edge table of
// Traces/FORMAT.md. Its ports are the three edges of an accsim cycle-level trace.
//
// Timing: a value the trace reports as entering in fold cycle t is driven on the inputs during
// cycle t (it is taken at the rising edge that ends cycle t); a value the trace reports as
// leaving in cycle t is on the outputs right after that edge (cocotb: RisingEdge, then
// ReadOnly). Zero-latency edges, so the fold's cycle count is the contract's k + m + n + R - 2.
//
//   top_valid[c], top_data[c]    preload. In a cycle with any top_valid bit set, every PE's weight
//                                register takes the one above it and row 0 takes top_data; a
//                                column whose bit is low loads "no weight", so its PEs never
//                                multiply. Push the deepest used row first: after k load cycles
//                                rows 0..k-1 hold B[0..k-1]. Rows k..R-1 keep stale weights; they
//                                only ever see bubbles.
//   left_valid[r], left_data[r]  stream: the operand entering row r; operands move one column right
//                                per cycle, through every column.
//   bot_valid[c], bot_data[c]    the partial sum leaving the bottom of column c: empty sums enter
//                                the top of every column, a PE with a valid operand and a weight
//                                adds weight * operand, so a valid output has taken >= 1 product.
//   clear                        synchronous: empties every pipeline register and forgets the
//                                weights (reset). Folds need no clear: a fold's pipeline is empty
//                                once its last output has left.
//
// Widths: DW-bit signed operands and weights (a zero-point-adjusted int8 value needs 9 bits);
// partial sums wrap at ACC_W bits and are sign-extended to 32 on bot_data. The operand registers
// (operand_reg.v) and the multiplier (pe_multiply.v) are shared with os_array.v.
//
// BUG selects a deliberately broken variant for the testbench's self-checks (0 = none):
//   1 "signed"     PE(BUG_ROW, BUG_COL) reads its weight as an unsigned 8-bit value.
//   2 "skew"       row BUG_ROW's operands reach the array one cycle late.
//   3 "narrow_acc" partial sums are 24 bits wide.
module ws_array #(
    parameter integer ROWS = 8,
    parameter integer COLS = 8,
    parameter integer DW = 9,
    parameter integer BUG = 0,
    parameter integer BUG_ROW = 0,
    parameter integer BUG_COL = 0
) (
    input  wire               clk,
    input  wire               clear,
    input  wire [COLS-1:0]    top_valid,
    input  wire [COLS*DW-1:0] top_data,
    input  wire [ROWS-1:0]    left_valid,
    input  wire [ROWS*DW-1:0] left_data,
    output wire [COLS-1:0]    bot_valid,
    output wire [COLS*32-1:0] bot_data
);
    localparam integer ACC_W = (BUG == 3) ? 24 : 32;

    wire load = |top_valid;

    genvar r, c;
    generate
        // The skew variant's extra operand register in front of row BUG_ROW.
        if (BUG == 2) begin : late
            wire [DW-1:0] data;
            wire          ok;
            operand_reg #(.DW(DW)) delay (.clk(clk), .clear(clear), .in_valid(left_valid[BUG_ROW]),
                                          .in_data(left_data[BUG_ROW*DW +: DW]), .valid(ok), .data(data));
        end
    endgenerate

    // PE(r, c) is row[r].pe[c]; each reads its neighbours' registers by name.
    generate
        for (r = 0; r < ROWS; r = r + 1) begin : row
            for (c = 0; c < COLS; c = c + 1) begin : pe
                localparam integer SIGNED_BUG = (BUG == 1 && r == BUG_ROW && c == BUG_COL) ? 1 : 0;
                reg [DW-1:0]    w;       // weight
                reg             w_ok;    // a weight was loaded (its column is used)
                /* verilator lint_off UNUSEDSIGNAL */  // the last column's operands leave the array
                wire [DW-1:0]   a;       // operand, passed right (operand_reg.v)
                wire            a_ok;
                /* verilator lint_on UNUSEDSIGNAL */
                reg [ACC_W-1:0] ps;      // partial sum, passed down
                reg             ps_ok;   // it has taken at least one product

                wire [DW-1:0]    w_in;
                wire             w_ok_in;
                wire [ACC_W-1:0] ps_in;
                wire             ps_ok_in;
                wire [DW-1:0]    a_in;
                wire             a_ok_in;
                if (r == 0) begin : from_top
                    assign w_in = top_data[c*DW +: DW];
                    assign w_ok_in = top_valid[c];
                    assign ps_in = {ACC_W{1'b0}};
                    assign ps_ok_in = 1'b0;
                end else begin : from_above
                    assign w_in = row[r-1].pe[c].w;
                    assign w_ok_in = row[r-1].pe[c].w_ok;
                    assign ps_in = row[r-1].pe[c].ps;
                    assign ps_ok_in = row[r-1].pe[c].ps_ok;
                end
                if (c != 0) begin : from_left_pe
                    assign a_in = row[r].pe[c-1].a;
                    assign a_ok_in = row[r].pe[c-1].a_ok;
                end else if (BUG == 2 && r == BUG_ROW) begin : from_late_edge
                    assign a_in = late.data;
                    assign a_ok_in = late.ok;
                end else begin : from_edge
                    assign a_in = left_data[r*DW +: DW];
                    assign a_ok_in = left_valid[r];
                end

                wire [ACC_W-1:0] product;
                pe_multiply #(.DW(DW), .ACC_W(ACC_W), .UNSIGNED_WEIGHT(SIGNED_BUG))
                    mul (.weight(w), .operand(a_in), .product(product));
                wire mac = a_ok_in & w_ok;

                operand_reg #(.DW(DW)) a_reg (.clk(clk), .clear(clear), .in_valid(a_ok_in), .in_data(a_in),
                                              .valid(a_ok), .data(a));

                always @(posedge clk) begin
                    if (clear) begin
                        w <= {DW{1'b0}};
                        w_ok <= 1'b0;
                        ps <= {ACC_W{1'b0}};
                        ps_ok <= 1'b0;
                    end else begin
                        if (load) begin
                            w <= w_in;
                            w_ok <= w_ok_in;
                        end
                        ps <= mac ? ps_in + product : ps_in;
                        ps_ok <= mac | ps_ok_in;
                    end
                end
            end
        end
        for (c = 0; c < COLS; c = c + 1) begin : bottom
            wire [ACC_W-1:0] sum = row[ROWS-1].pe[c].ps;
            wire [31:0]      sum32 = {{(33-ACC_W){sum[ACC_W-1]}}, sum[ACC_W-2:0]};
            assign bot_valid[c] = row[ROWS-1].pe[c].ps_ok;
            assign bot_data[c*32 +: 32] = sum32;
        end
    endgenerate
endmodule
