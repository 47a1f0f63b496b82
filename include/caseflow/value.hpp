// Typed attribute and event-field values.  `value` is the host-facing form;
// inside the engine each value is one 64-bit slot whose meaning the rule's
// declared type gives (see detail/slot.hpp), so cases stay small.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "caseflow/time.hpp"

namespace caseflow {

/// The attribute types of the rule language.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
// g++ 12 takes these scoped enumerators for shadows of caseflow::instant and
// caseflow::duration under -Wshadow; hosts that build with it include this.
#pragma GCC diagnostic ignored "-Wshadow"
#endif
enum class value_type : std::uint8_t {
    none,         ///< no value (an unset attribute)
    string,
    integer,      ///< `int` in rule files: 64-bit signed
    decimal,      ///< fixed point, 6 fractional digits
    boolean,      ///< `bool`
    enumeration,  ///< `enum`: one of a declared list of names
    date,
    instant,
    duration,
};
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/// The rule-file spelling of a type (`int`, `decimal`, `enum`, ...).
std::string_view to_string(value_type t);

/// Fixed-point decimal with 6 fractional digits: 12.5 is {12500000}.
struct decimal {
    static constexpr std::int64_t scale = 1000000;
    std::int64_t units = 0;
    friend bool operator==(decimal a, decimal b) { return a.units == b.units; }
    friend bool operator!=(decimal a, decimal b) { return a.units != b.units; }
};
/// Parses `12`, `-3.25`, `0.000001`; more than 6 fractional digits is an error.
bool parse_decimal(std::string_view text, decimal& out);
std::string format_decimal(decimal d);

/// A typed value as the host sees it.  Enumerations carry their name.
class value {
public:
    value() = default;
    value(const char* s) : type_(value_type::string), text_(s) {}
    value(std::string s) : type_(value_type::string), text_(std::move(s)) {}
    value(std::string_view s) : type_(value_type::string), text_(s) {}
    value(int i) : type_(value_type::integer), bits_(i) {}
    value(std::int64_t i) : type_(value_type::integer), bits_(i) {}
    value(bool b) : type_(value_type::boolean), bits_(b ? 1 : 0) {}
    value(decimal d) : type_(value_type::decimal), bits_(d.units) {}
    value(date_t d) : type_(value_type::date), bits_(d.time_since_epoch().count()) {}
    value(instant t) : type_(value_type::instant), bits_(t.time_since_epoch().count()) {}
    value(duration d) : type_(value_type::duration), bits_(d.count()) {}

    /// An enumeration value by name (checked against the declaration on use).
    static value enumeration(std::string name);

    value_type type() const noexcept { return type_; }
    bool is_none() const noexcept { return type_ == value_type::none; }

    const std::string& as_string() const;     ///< string or enumeration name
    std::int64_t as_integer() const;
    bool as_boolean() const;
    decimal as_decimal() const;
    date_t as_date() const;
    instant as_instant() const;
    duration as_duration() const;

    /// The rule-file / history spelling: `'text'` is not quoted here,
    /// instants are ISO 8601 UTC, durations short form.
    std::string to_string() const;

    friend bool operator==(const value& a, const value& b) {
        return a.type_ == b.type_ && a.bits_ == b.bits_ && a.text_ == b.text_;
    }
    friend bool operator!=(const value& a, const value& b) { return !(a == b); }

private:
    value_type type_ = value_type::none;
    std::int64_t bits_ = 0;
    std::string text_;
};

/// Named values: case attributes, event data.  Ordered, so output is stable.
using value_map = std::map<std::string, value, std::less<>>;

/// Reads `text` as a value of type `t` (the YAML scalar spelling: `true`,
/// `12.50`, `2026-10-01`, `2026-10-01T09:00:00+08:00`, `3d`).  Enumeration
/// names are taken as given.  Returns none on a malformed text.
value parse_value(value_type t, std::string_view text);

}  // namespace caseflow
