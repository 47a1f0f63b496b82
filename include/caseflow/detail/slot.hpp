// The engine's internal value form: one 64-bit slot per attribute or event
// field, read through the type the rule declares.  Strings are interned ids,
// enumerations are indexes, dates are days, instants and durations are ms.
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "caseflow/value.hpp"

namespace caseflow::detail {

using slot = std::int64_t;
/// The slot of an attribute that has no value.
constexpr slot unset_slot = std::numeric_limits<std::int64_t>::min();

/// A declared `enum` type: its value names in declaration order.
struct enum_def {
    std::vector<std::string> names;
    /// Index of `name`, or -1.
    int find(std::string_view name) const;
};

/// The static type of an attribute, event field or expression.
struct slot_type {
    value_type type = value_type::none;
    int enum_id = -1;  ///< which enum_def, for value_type::enumeration
    friend bool operator==(slot_type a, slot_type b) { return a.type == b.type && a.enum_id == b.enum_id; }
    friend bool operator!=(slot_type a, slot_type b) { return !(a == b); }
};

/// Interned strings.  Ids are dense and assigned in first-seen order, so the
/// same inputs give the same ids (determinism).  Never shrinks.
class string_pool {
public:
    std::uint32_t intern(std::string_view s);
    /// The id of `s` if interned, else -1.
    std::int64_t find(std::string_view s) const;
    std::string_view get(std::uint32_t id) const { return strings_[id]; }
    std::size_t size() const { return strings_.size(); }

private:
    std::deque<std::string> strings_;  // deque: views into it stay valid
    std::unordered_map<std::string_view, std::uint32_t> ids_;
};

/// Converts a host value into a slot of type `t`.  Throws usage_error with a
/// message naming `what` when the value does not fit the type.
slot to_slot(const value& v, slot_type t, string_pool& pool, const std::vector<enum_def>& enums,
             std::string_view what);
/// Converts a slot back into a host value (none for unset_slot).
value from_slot(slot s, slot_type t, const string_pool& pool, const std::vector<enum_def>& enums);
/// The text form used in histories and action parameters.
std::string format_slot(slot s, slot_type t, const string_pool& pool, const std::vector<enum_def>& enums);

}  // namespace caseflow::detail
