// Output-stationary systolic array of ROWS x COLS processing elements (PEs), written from the
// timing contract of docs/timing.md ("Output stationary") and the edge table of
// Traces/FORMAT.md. Its ports are the three edges of an accsim cycle-level trace.
//
// Timing as in ws_array.v: inputs reported for fold cycle t are driven during cycle t; outputs
// reported for cycle t are on the outputs right after the rising edge that ends it.
//
//   left_valid[r], left_data[r]  A operands entering row r (a[r][t - r] at fold cycle t); they move
//                                one column right per cycle.
//   top_valid[c], top_data[c]    B operands entering column c (b[t - c][c]); they move one row down
//                                per cycle. A PE that sees a valid A and a valid B adds their
//                                product to its accumulator.
//   drain                        high for R cycles from fold cycle S = k + m + n - 2 (the cycle
//                                after the last MAC): every accumulator takes the one above it
//                                (row 0 takes an empty accumulator) and row R-1 leaves through
//                                the bottom, so output row r leaves in drain cycle R - 1 - r. After
//                                a drain every accumulator is empty again: that is the fold clear.
//   bot_valid[c], bot_data[c]    the accumulator leaving column c during a drain; valid only when
//                                that PE took at least one product (unused rows and columns stay
//                                silent, as in the trace).
//   clear                        synchronous reset of every register.
//
// Widths: DW-bit signed operands, ACC_W-bit wrapping accumulators sign-extended to 32 bits. The
// operand registers (operand_reg.v) and the multiplier (pe_multiply.v) are shared with ws_array.v.
//
// BUG selects a deliberately broken variant (0 = none):
//   1 "signed"     PE(BUG_ROW, BUG_COL) reads its weight (the B operand) as an unsigned 8-bit value.
//   2 "skew"       row BUG_ROW's A operands reach the array one cycle late.
//   3 "narrow_acc" accumulators are 24 bits wide.
module os_array #(
    parameter integer ROWS = 8,
    parameter integer COLS = 8,
    parameter integer DW = 9,
    parameter integer BUG = 0,
    parameter integer BUG_ROW = 0,
    parameter integer BUG_COL = 0
) (
    input  wire               clk,
    input  wire               clear,
    input  wire               drain,
    input  wire [COLS-1:0]    top_valid,
    input  wire [COLS*DW-1:0] top_data,
    input  wire [ROWS-1:0]    left_valid,
    input  wire [ROWS*DW-1:0] left_data,
    output wire [COLS-1:0]    bot_valid,
    output wire [COLS*32-1:0] bot_data
);
    localparam integer ACC_W = (BUG == 3) ? 24 : 32;

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
                /* verilator lint_off UNUSEDSIGNAL */  // operands leaving the last column / row
                wire [DW-1:0]   a;        // A operand, passed right (operand_reg.v)
                wire            a_ok;
                wire [DW-1:0]   b;        // B operand (weight), passed down
                wire            b_ok;
                /* verilator lint_on UNUSEDSIGNAL */
                reg [ACC_W-1:0] acc;      // the stationary output
                reg             acc_ok;   // it has taken at least one product

                wire [DW-1:0]    a_in;
                wire             a_ok_in;
                wire [DW-1:0]    b_in;
                wire             b_ok_in;
                wire [ACC_W-1:0] acc_above;
                wire             acc_ok_above;
                if (r == 0) begin : from_top
                    assign b_in = top_data[c*DW +: DW];
                    assign b_ok_in = top_valid[c];
                    assign acc_above = {ACC_W{1'b0}};
                    assign acc_ok_above = 1'b0;
                end else begin : from_above
                    assign b_in = row[r-1].pe[c].b;
                    assign b_ok_in = row[r-1].pe[c].b_ok;
                    assign acc_above = row[r-1].pe[c].acc;
                    assign acc_ok_above = row[r-1].pe[c].acc_ok;
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
                    mul (.weight(b_in), .operand(a_in), .product(product));
                wire mac = a_ok_in & b_ok_in;

                operand_reg #(.DW(DW)) a_reg (.clk(clk), .clear(clear), .in_valid(a_ok_in), .in_data(a_in),
                                              .valid(a_ok), .data(a));
                operand_reg #(.DW(DW)) b_reg (.clk(clk), .clear(clear), .in_valid(b_ok_in), .in_data(b_in),
                                              .valid(b_ok), .data(b));

                always @(posedge clk) begin
                    if (clear) begin
                        acc <= {ACC_W{1'b0}};
                        acc_ok <= 1'b0;
                    end else begin
                        if (drain) begin
                            acc <= acc_above;
                            acc_ok <= acc_ok_above;
                        end else if (mac) begin
                            acc <= acc + product;
                            acc_ok <= 1'b1;
                        end
                    end
                end
            end
        end
        // Output register below row R-1: takes the leaving accumulator during a drain.
        for (c = 0; c < COLS; c = c + 1) begin : bottom
            reg [ACC_W-1:0] out;
            reg             out_ok;
            always @(posedge clk) begin
                if (clear) begin
                    out <= {ACC_W{1'b0}};
                    out_ok <= 1'b0;
                end else begin
                    out <= row[ROWS-1].pe[c].acc;
                    out_ok <= drain & row[ROWS-1].pe[c].acc_ok;
                end
            end
            wire [31:0] out32 = {{(33-ACC_W){out[ACC_W-1]}}, out[ACC_W-2:0]};
            assign bot_valid[c] = out_ok;
            assign bot_data[c*32 +: 32] = out32;
        end
    endgenerate
endmodule
