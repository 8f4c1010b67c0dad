// The design RTL/check simulates: one systolic array (DATAFLOW 0 = weight stationary, ws_array.v;
// 1 = output stationary, os_array.v) beside LANES requantizers (requant.v), as an accelerator
// would have them. Ports are flattened vectors (element i in bits [i*W +: W]) so that the Icarus
// and Verilator simulators and cocotb all see plain signals.
//
// BUG: 0 none, 1 signed, 2 skew, 3 narrow_acc (array variants), 4 rounding (requantizer variant);
// see the modules for what each breaks.
module accsim_top #(
    parameter integer ROWS = 8,
    parameter integer COLS = 8,
    parameter integer DW = 9,
    parameter integer DATAFLOW = 0,
    parameter integer LANES = 1,
    parameter integer BUG = 0,
    parameter integer BUG_ROW = 0,
    parameter integer BUG_COL = 0
) (
    input  wire               clk,
    input  wire               clear,
    // array
    input  wire               drain,
    input  wire [COLS-1:0]    top_valid,
    input  wire [COLS*DW-1:0] top_data,
    input  wire [ROWS-1:0]    left_valid,
    input  wire [ROWS*DW-1:0] left_data,
    output wire [COLS-1:0]    bot_valid,
    output wire [COLS*32-1:0] bot_data,
    // requantizers
    input  wire [2:0]         rq_mode,
    input  wire [31:0]        rq_clamp_min,
    input  wire [31:0]        rq_clamp_max,
    input  wire [LANES-1:0]   rq_valid,
    input  wire [LANES*32-1:0] rq_acc,
    input  wire [LANES-1:0]   rq_has_bias,
    input  wire [LANES*32-1:0] rq_bias,
    input  wire [LANES*32-1:0] rq_mult,
    input  wire [LANES*7-1:0] rq_shift,
    input  wire [LANES*32-1:0] rq_zp,
    output wire [LANES-1:0]   rq_out_valid,
    output wire [LANES*32-1:0] rq_sum,
    output wire [LANES*32-1:0] rq_pre,
    output wire [LANES*32-1:0] rq_out,
    output wire [LANES-1:0]   rq_sat
);
    localparam integer ARRAY_BUG = (BUG >= 1 && BUG <= 3) ? BUG : 0;
    localparam integer RQ_BUG = (BUG == 4) ? 4 : 0;

    generate
        if (DATAFLOW == 0) begin : ws
            ws_array #(.ROWS(ROWS), .COLS(COLS), .DW(DW), .BUG(ARRAY_BUG), .BUG_ROW(BUG_ROW), .BUG_COL(BUG_COL))
                array (.clk(clk), .clear(clear), .top_valid(top_valid), .top_data(top_data),
                       .left_valid(left_valid), .left_data(left_data), .bot_valid(bot_valid), .bot_data(bot_data));
            wire unused_drain = drain;
        end else begin : os
            os_array #(.ROWS(ROWS), .COLS(COLS), .DW(DW), .BUG(ARRAY_BUG), .BUG_ROW(BUG_ROW), .BUG_COL(BUG_COL))
                array (.clk(clk), .clear(clear), .drain(drain), .top_valid(top_valid), .top_data(top_data),
                       .left_valid(left_valid), .left_data(left_data), .bot_valid(bot_valid), .bot_data(bot_data));
        end
    endgenerate

    genvar l;
    generate
        for (l = 0; l < LANES; l = l + 1) begin : lane
            requant #(.BUG(RQ_BUG)) rq (
                .clk(clk), .clear(clear), .in_valid(rq_valid[l]), .mode(rq_mode),
                .acc(rq_acc[l*32 +: 32]), .has_bias(rq_has_bias[l]), .bias(rq_bias[l*32 +: 32]),
                .mult(rq_mult[l*32 +: 32]), .shift(rq_shift[l*7 +: 7]), .zero_point(rq_zp[l*32 +: 32]),
                .clamp_min(rq_clamp_min), .clamp_max(rq_clamp_max),
                .out_valid(rq_out_valid[l]), .sum(rq_sum[l*32 +: 32]), .pre(rq_pre[l*32 +: 32]),
                .out(rq_out[l*32 +: 32]), .sat(rq_sat[l]));
        end
    endgenerate
endmodule
