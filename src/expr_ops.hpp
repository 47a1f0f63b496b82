// The instruction set of compiled expressions (detail/expr.hpp), shared by the
// compiler (expr.cpp), the evaluator (expr_eval.cpp) and the tests.  A program
// is a flat vector run by a stack machine; the common guard shapes have fused
// instructions so that `severity == 'major' && amount > 100` is three steps.
#pragma once

#include <cstdint>

#include "caseflow/detail/slot.hpp"

namespace caseflow::detail::expr_op {

/// Comparison kinds, in this order inside each comparison family.
enum cmp_kind : std::uint8_t { eq, ne, lt, le, gt, ge };

// `instr.type` holds the operand's value_type (informational); `arg` a slot
// index or jump target; `imm` a literal or an element count.
enum code : std::uint8_t {
    push,         ///< push imm
    load_attr,    ///< push attributes[arg]
    load_event,   ///< push event_fields[arg]
    load_now,     ///< push now_ms
    truth_attr,   ///< push attributes[arg] == 1 (a bool attribute used as a condition)
    truth_event,  ///< push event_fields[arg] == 1
    isset_attr,   ///< push attributes[arg] != unset
    isset_event,  ///< push event_fields[arg] != unset
    // Comparisons: + cmp_kind.  Push 0/1; 0 when an operand is unset.
    cmp_ss,       ///< pop b, pop a, push a OP b
    cmp_si = cmp_ss + 6,  ///< pop a, push a OP imm
    cmp_ai = cmp_si + 6,  ///< push attributes[arg] OP imm
    cmp_ei = cmp_ai + 6,  ///< push event_fields[arg] OP imm
    // Fused guard steps: attributes[arg] OP imm; when false push 0 and jump to
    // the `jump` instruction's target that follows, else fall through past it.
    cmp_ai_and = cmp_ei + 6,
    logic_not = cmp_ai_and + 6,  ///< top = top ^ 1 (operands are 0/1)
    jump_false,   ///< if top != 1: top = 0, jump to arg; else pop
    jump_true,    ///< if top == 1: jump to arg; else pop
    widen,        ///< top: int -> decimal units (unset stays, overflow -> unset)
    add,          ///< pop b, pop a, push a + b (checked; unset propagates)
    sub,
    mul,
    mul_dec,      ///< a * b / 10^6, rounded half away from zero (decimal, duration x decimal)
    neg,
    in_stack,     ///< pop a; push a in {next imm data}; imm = element count
    in_attr,      ///< attributes[arg] in {...}
    in_event,
    not_in_stack, ///< as in_*, negated; still 0 when the operand is unset
    not_in_attr,
    not_in_event,
    data,         ///< an element of the preceding in-list (never executed)
    jump,         ///< unconditional jump to arg (target of fused steps)
    // Whole-program forms for a guard that is only `attr OP literal` terms
    // joined by one kind of logic: imm = term count, followed by the terms as
    // cmp_ai instructions (read, never executed).
    all_ai,       ///< every term holds
    any_ai,       ///< some term holds
    count_
};

/// `a OP b` for a cmp_kind; false when either side is unset.  Branch free:
/// the operands' order (less, equal, greater) selects a bit of the
/// comparison's truth mask, so mixed outcomes do not mispredict.  Shared by the
/// evaluator and the engine's dispatch fast path.
inline bool compare(std::uint8_t kind, slot a, slot b) noexcept {
    static constexpr std::uint8_t truth[6] = {0b010, 0b101, 0b001, 0b011, 0b100, 0b110};  // eq ne lt le gt ge
    const int order = (a > b) - (a < b) + 1;
    return ((truth[kind] >> order) & 1) & (a != unset_slot) & (b != unset_slot);
}

/// a + b; unset when either is unset or the sum overflows.
inline slot checked_add(slot a, slot b) noexcept {
    slot r;
    if (a == unset_slot || b == unset_slot || __builtin_add_overflow(a, b, &r)) return unset_slot;
    return r;
}

}  // namespace caseflow::detail::expr_op
