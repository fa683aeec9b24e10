#include "textflag.h"

// func dotInt8AVX2(a, b *int8, n int) int32
// n is a multiple of 32. Each 16 codes are widened to int16 (VPMOVSXBW) and
// multiplied and summed in pairs into int32 (VPMADDWD), in two accumulators.
TEXT ·dotInt8AVX2(SB), NOSPLIT, $0-28
	MOVQ a+0(FP), SI
	MOVQ b+8(FP), DI
	MOVQ n+16(FP), CX
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1

loop:
	CMPQ CX, $32
	JL   done
	VPMOVSXBW (SI), Y2
	VPMOVSXBW (DI), Y3
	VPMADDWD  Y3, Y2, Y2
	VPADDD    Y2, Y0, Y0
	VPMOVSXBW 16(SI), Y4
	VPMOVSXBW 16(DI), Y5
	VPMADDWD  Y5, Y4, Y4
	VPADDD    Y4, Y1, Y1
	ADDQ      $32, SI
	ADDQ      $32, DI
	SUBQ      $32, CX
	JMP       loop

done:
	VPADDD       Y1, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPADDD       X1, X0, X0
	VPSHUFD      $0x4e, X0, X1
	VPADDD       X1, X0, X0
	VPSHUFD      $0xb1, X0, X1
	VPADDD       X1, X0, X0
	VMOVD        X0, AX
	VZEROUPPER
	MOVL         AX, ret+24(FP)
	RET

// func prefetch(base unsafe.Pointer, slots []int32, stride, lines int)
// Asks for the first lines cache lines of each slot's row, at base +
// slot·stride, to be brought into the caches (PREFETCHT0).
TEXT ·prefetch(SB), NOSPLIT, $0-48
	MOVQ base+0(FP), SI
	MOVQ slots_base+8(FP), DI
	MOVQ slots_len+16(FP), CX
	MOVQ stride+32(FP), R8
	MOVQ lines+40(FP), R9
	TESTQ CX, CX
	JZ    pdone

pslot:
	MOVLQSX (DI), AX
	IMULQ   R8, AX
	ADDQ    SI, AX
	MOVQ    R9, DX

pline:
	TESTQ      DX, DX
	JZ         pnext
	PREFETCHT0 (AX)
	ADDQ       $64, AX
	DECQ       DX
	JMP        pline

pnext:
	ADDQ $4, DI
	DECQ CX
	JNZ  pslot

pdone:
	RET
