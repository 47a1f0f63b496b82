#include "caseflow/value.hpp"

#include <charconv>
#include <cstdio>
#include <limits>

#include "caseflow/error.hpp"

namespace caseflow {

std::string_view to_string(value_type t) {
    switch (t) {
        case value_type::none: return "none";
        case value_type::string: return "string";
        case value_type::integer: return "int";
        case value_type::decimal: return "decimal";
        case value_type::boolean: return "bool";
        case value_type::enumeration: return "enum";
        case value_type::date: return "date";
        case value_type::instant: return "instant";
        case value_type::duration: return "duration";
    }
    return "?";
}

bool parse_decimal(std::string_view text, decimal& out) {
    std::size_t i = 0;
    bool neg = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) neg = text[i++] == '-';
    std::int64_t whole = 0, frac = 0;
    int frac_digits = 0;
    std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        whole = whole * 10 + (text[i++] - '0');
        if (whole > 9000000000000LL) return false;
    }
    bool any = i > start;
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            if (++frac_digits > 6) return false;
            frac = frac * 10 + (text[i++] - '0');
            any = true;
        }
    }
    if (!any || i != text.size()) return false;
    for (int k = frac_digits; k < 6; ++k) frac *= 10;
    out.units = (whole * decimal::scale + frac) * (neg ? -1 : 1);
    return true;
}

std::string format_decimal(decimal d) {
    std::int64_t u = d.units;
    std::string s = u < 0 ? "-" : "";
    std::uint64_t a = u < 0 ? static_cast<std::uint64_t>(-(u + 1)) + 1 : static_cast<std::uint64_t>(u);
    s += std::to_string(a / decimal::scale);
    std::uint64_t frac = a % decimal::scale;
    if (frac) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%06llu", static_cast<unsigned long long>(frac));
        std::string f = buf;
        while (!f.empty() && f.back() == '0') f.pop_back();
        s += '.' + f;
    }
    return s;
}

value value::enumeration(std::string name) {
    value v(std::move(name));
    v.type_ = value_type::enumeration;
    return v;
}

namespace {
[[noreturn]] void wrong_type(value_type have, value_type want) {
    throw usage_error("value is of type " + std::string(to_string(have)) + ", not " + std::string(to_string(want)));
}
}  // namespace

const std::string& value::as_string() const {
    if (type_ != value_type::string && type_ != value_type::enumeration) wrong_type(type_, value_type::string);
    return text_;
}
std::int64_t value::as_integer() const {
    if (type_ != value_type::integer) wrong_type(type_, value_type::integer);
    return bits_;
}
bool value::as_boolean() const {
    if (type_ != value_type::boolean) wrong_type(type_, value_type::boolean);
    return bits_ != 0;
}
decimal value::as_decimal() const {
    if (type_ == value_type::integer) return decimal{bits_ * decimal::scale};
    if (type_ != value_type::decimal) wrong_type(type_, value_type::decimal);
    return decimal{bits_};
}
date_t value::as_date() const {
    if (type_ != value_type::date) wrong_type(type_, value_type::date);
    return date_t{date_t::duration{bits_}};
}
instant value::as_instant() const {
    if (type_ != value_type::instant) wrong_type(type_, value_type::instant);
    return instant{duration{bits_}};
}
duration value::as_duration() const {
    if (type_ != value_type::duration) wrong_type(type_, value_type::duration);
    return duration{bits_};
}

std::string value::to_string() const {
    switch (type_) {
        case value_type::none: return "~";
        case value_type::string:
        case value_type::enumeration: return text_;
        case value_type::integer: return std::to_string(bits_);
        case value_type::decimal: return format_decimal(decimal{bits_});
        case value_type::boolean: return bits_ ? "true" : "false";
        case value_type::date: return format_date(as_date());
        case value_type::instant: return format_instant(as_instant());
        case value_type::duration: return format_duration(as_duration());
    }
    return {};
}

value parse_value(value_type t, std::string_view text) {
    switch (t) {
        case value_type::none: return {};
        case value_type::string: return value(text);
        case value_type::enumeration: return value::enumeration(std::string(text));
        case value_type::integer: {
            // Every 64-bit value but the lowest, which the engine keeps for
            // "no value"; an optional sign, decimal digits only.
            // (from_chars takes a '-' but no '+', and no empty text.)
            const bool plus = !text.empty() && text[0] == '+';
            const std::string_view digits = plus ? text.substr(1) : text;
            if (plus && !digits.empty() && digits[0] == '-') return {};
            std::int64_t n = 0;
            const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
            if (ec != std::errc() || end != digits.data() + digits.size() || n == std::numeric_limits<std::int64_t>::min())
                return {};
            return value(n);
        }
        case value_type::decimal: {
            decimal d;
            return parse_decimal(text, d) ? value(d) : value();
        }
        case value_type::boolean:
            if (text == "true") return value(true);
            if (text == "false") return value(false);
            return {};
        case value_type::date:
            if (auto d = parse_date(text)) return value(*d);
            return {};
        case value_type::instant:
            if (auto i = parse_instant(text)) return value(*i);
            return {};
        case value_type::duration:
            if (auto d = parse_duration(text)) return value(*d);
            return {};
    }
    return {};
}

}  // namespace caseflow
