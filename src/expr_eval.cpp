// The evaluator of compiled expressions: a stack machine over a fixed local
// array.  It runs on the dispatch hot path, so it neither allocates nor throws
// nor checks anything the compiler already proved (types, stack depth).
#include "caseflow/detail/expr.hpp"

#include "expr_ops.hpp"

namespace caseflow::detail {
namespace {

namespace op = expr_op;
using expr_op::checked_add;
using expr_op::compare;

__extension__ typedef __int128 i128;

constexpr slot unset = unset_slot;

inline slot checked_sub(slot a, slot b) noexcept {
    slot r;
    if (a == unset || b == unset || __builtin_sub_overflow(a, b, &r)) return unset;
    return r;
}
inline slot checked_mul(slot a, slot b) noexcept {
    slot r;
    if (a == unset || b == unset || __builtin_mul_overflow(a, b, &r)) return unset;
    return r;
}
/// a * b / 10^6 rounded half away from zero: decimal * decimal, duration * decimal.
inline slot scaled_mul(slot a, slot b) noexcept {
    if (a == unset || b == unset) return unset;
    const i128 p = static_cast<i128>(a) * b;
    i128 q = p / 1000000;
    const i128 rem = p % 1000000;
    if (rem >= 500000) ++q;
    if (rem <= -500000) --q;
    if (q <= static_cast<i128>(unset) || q > static_cast<i128>(INT64_MAX)) return unset;
    return static_cast<slot>(q);
}

inline bool in_list(slot v, const instr* data, std::int64_t n) noexcept {
    for (std::int64_t k = 0; k < n; ++k)
        if (data[k].imm == v) return true;
    return false;
}

}  // namespace

slot evaluate(const program& p, const eval_context& ctx) noexcept {
    const instr* const code = p.code.data();
    const std::uint32_t n = static_cast<std::uint32_t>(p.code.size());
    const slot* const attrs = ctx.attributes;
    const slot* const events = ctx.event_fields;
    // A program without an event context reads every event field as unset
    // rather than through a null pointer.
    auto event = [events](std::uint32_t i) noexcept { return events ? events[i] : unset; };

    // The common guard shapes skip the machine: `attribute OP literal`, and
    // such terms joined only by && or only by ||.
    if (n > 0) {
        const instr& i = code[0];
        if (n == 1 && i.op >= op::cmp_ai && i.op < op::cmp_ai + 6) return compare(i.op - op::cmp_ai, attrs[i.arg], i.imm);
        if (i.op == op::all_ai) {
            for (const instr* t = code + 1; t != code + n; ++t)
                if (!compare(t->op - op::cmp_ai, attrs[t->arg], t->imm)) return 0;
            return 1;
        }
        if (i.op == op::any_ai) {
            for (const instr* t = code + 1; t != code + n; ++t)
                if (compare(t->op - op::cmp_ai, attrs[t->arg], t->imm)) return 1;
            return 0;
        }
    }

    slot st[max_expr_stack];
    int sp = -1;  // index of the top
    std::uint32_t pc = 0;
    while (pc < n) {
        const instr& i = code[pc++];
        switch (i.op) {
            case op::push: st[++sp] = i.imm; break;
            case op::load_attr: st[++sp] = attrs[i.arg]; break;
            case op::load_event: st[++sp] = event(i.arg); break;
            case op::load_now: st[++sp] = ctx.now_ms; break;
            case op::truth_attr: st[++sp] = attrs[i.arg] == 1; break;
            case op::truth_event: st[++sp] = event(i.arg) == 1; break;
            case op::isset_attr: st[++sp] = attrs[i.arg] != unset; break;
            case op::isset_event: st[++sp] = event(i.arg) != unset; break;

            case op::cmp_ss + op::eq: case op::cmp_ss + op::ne: case op::cmp_ss + op::lt:
            case op::cmp_ss + op::le: case op::cmp_ss + op::gt: case op::cmp_ss + op::ge:
                --sp;
                st[sp] = compare(i.op - op::cmp_ss, st[sp], st[sp + 1]);
                break;
            case op::cmp_si + op::eq: case op::cmp_si + op::ne: case op::cmp_si + op::lt:
            case op::cmp_si + op::le: case op::cmp_si + op::gt: case op::cmp_si + op::ge:
                st[sp] = compare(i.op - op::cmp_si, st[sp], i.imm);
                break;
            case op::cmp_ai + op::eq: case op::cmp_ai + op::ne: case op::cmp_ai + op::lt:
            case op::cmp_ai + op::le: case op::cmp_ai + op::gt: case op::cmp_ai + op::ge:
                st[++sp] = compare(i.op - op::cmp_ai, attrs[i.arg], i.imm);
                break;
            case op::cmp_ei + op::eq: case op::cmp_ei + op::ne: case op::cmp_ei + op::lt:
            case op::cmp_ei + op::le: case op::cmp_ei + op::gt: case op::cmp_ei + op::ge:
                st[++sp] = compare(i.op - op::cmp_ei, event(i.arg), i.imm);
                break;
            case op::cmp_ai_and + op::eq: case op::cmp_ai_and + op::ne: case op::cmp_ai_and + op::lt:
            case op::cmp_ai_and + op::le: case op::cmp_ai_and + op::gt: case op::cmp_ai_and + op::ge:
                if (compare(i.op - op::cmp_ai_and, attrs[i.arg], i.imm)) {
                    ++pc;  // over the jump
                } else {
                    st[++sp] = 0;
                    pc = code[pc].arg;
                }
                break;

            case op::logic_not: st[sp] ^= 1; break;
            case op::jump_false:
                if (st[sp] != 1) {
                    st[sp] = 0;
                    pc = i.arg;
                } else {
                    --sp;
                }
                break;
            case op::jump_true:
                if (st[sp] == 1) pc = i.arg;
                else --sp;
                break;
            case op::jump: pc = i.arg; break;

            case op::widen: st[sp] = checked_mul(st[sp], 1000000); break;
            case op::add: --sp; st[sp] = checked_add(st[sp], st[sp + 1]); break;
            case op::sub: --sp; st[sp] = checked_sub(st[sp], st[sp + 1]); break;
            case op::mul: --sp; st[sp] = checked_mul(st[sp], st[sp + 1]); break;
            case op::mul_dec: --sp; st[sp] = scaled_mul(st[sp], st[sp + 1]); break;
            case op::neg: st[sp] = checked_sub(0, st[sp]); break;

            case op::in_stack:
            case op::not_in_stack: {
                const slot v = st[sp];
                const bool found = in_list(v, code + pc, i.imm);
                st[sp] = v != unset && (found != (i.op == op::not_in_stack));
                pc += static_cast<std::uint32_t>(i.imm);
                break;
            }
            case op::in_attr:
            case op::not_in_attr:
            case op::in_event:
            case op::not_in_event: {
                const slot v = (i.op == op::in_attr || i.op == op::not_in_attr) ? attrs[i.arg] : event(i.arg);
                const bool negated = i.op == op::not_in_attr || i.op == op::not_in_event;
                const bool found = in_list(v, code + pc, i.imm);
                st[++sp] = v != unset && (found != negated);
                pc += static_cast<std::uint32_t>(i.imm);
                break;
            }
            default: break;  // data is jumped over; nothing else exists
        }
    }
    return sp >= 0 ? st[0] : unset;
}

}  // namespace caseflow::detail
