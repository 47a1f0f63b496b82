// The rule language's expression language: typed, side-effect free, parsed and
// type-checked when rules load and compiled to a small stack program whose
// evaluation neither allocates nor throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "caseflow/error.hpp"
#include "caseflow/detail/slot.hpp"

namespace caseflow::detail {

/// The names an expression may refer to.  The rule loader implements it for
/// each place an expression appears (guard of a transition on an event,
/// entry action, `set` value, ...).
class expr_scope {
public:
    virtual ~expr_scope() = default;
    /// Attribute slot index and type, or false when there is no such attribute.
    virtual bool attribute(std::string_view name, std::uint32_t& index, slot_type& type) const = 0;
    /// Field slot index and type of the triggering event, or false.
    virtual bool event_field(std::string_view name, std::uint32_t& index, slot_type& type) const = 0;
    /// Whether `event.x` is meaningful here at all (false in entry actions,
    /// eventless transitions, deadlines) and the event's name for messages.
    virtual bool has_event() const = 0;
    virtual std::string event_name() const = 0;
    /// All names, for "did you mean" suggestions.
    virtual std::vector<std::string> attribute_names() const = 0;
    virtual std::vector<std::string> event_field_names() const = 0;
    virtual const std::vector<enum_def>& enums() const = 0;
};

/// One instruction of a compiled expression (see src/expr.cpp for the set).
struct instr {
    std::uint8_t op = 0;
    std::uint8_t type = 0;    // operand value_type where the op depends on it
    std::uint32_t arg = 0;    // slot index, jump target, ...
    std::int64_t imm = 0;     // immediate operand (literal)
};

/// A compiled expression.
struct program {
    std::vector<instr> code;
    slot_type type;              ///< result type
    std::uint32_t max_stack = 0; ///< evaluation stack depth needed
    std::string text;            ///< source text, for messages and history
    bool empty() const { return code.empty(); }
};

/// Compiles `text`.  `at` is the position of the text's first character; an
/// error points into the expression (same line, column + offset).  When
/// `expected` is given the result must have that type (int widens to decimal;
/// a bare name that is a value of an expected enum is that value).
/// Throws rule_error: `file:line:col: <what is wrong>; <what was expected>`.
program compile_expr(std::string_view text, const source_pos& at, const expr_scope& scope,
                     string_pool& pool, const slot_type* expected = nullptr);

/// Everything an evaluation reads.
struct eval_context {
    const slot* attributes = nullptr;
    const slot* event_fields = nullptr;  ///< may be null when the scope had no event
    const string_pool* strings = nullptr;
    std::int64_t now_ms = 0;             ///< the instant of the step, ms since epoch
};

/// Evaluates; never allocates, never throws.  A comparison that involves an
/// unset value is false; arithmetic on an unset value gives unset.
slot evaluate(const program& p, const eval_context& ctx) noexcept;

/// A guard's verdict: true only for the value true.  Use this rather than
/// `evaluate(...) != 0`, because a bare bool attribute with no value evaluates
/// to unset_slot, which is not zero.
inline bool evaluate_bool(const program& p, const eval_context& ctx) noexcept { return evaluate(p, ctx) == 1; }

/// The hard limit on expression nesting, so the stack fits in a fixed array.
constexpr std::uint32_t max_expr_stack = 64;

}  // namespace caseflow::detail
