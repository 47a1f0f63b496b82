#include "caseflow/detail/slot.hpp"

#include "caseflow/error.hpp"

namespace caseflow::detail {

int enum_def::find(std::string_view name) const {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return static_cast<int>(i);
    return -1;
}

std::uint32_t string_pool::intern(std::string_view s) {
    auto it = ids_.find(s);
    if (it != ids_.end()) return it->second;
    auto id = static_cast<std::uint32_t>(strings_.size());
    strings_.emplace_back(s);
    ids_.emplace(strings_.back(), id);
    return id;
}

std::int64_t string_pool::find(std::string_view s) const {
    auto it = ids_.find(s);
    return it == ids_.end() ? std::int64_t{-1} : std::int64_t{it->second};
}

slot to_slot(const value& v, slot_type t, string_pool& pool, const std::vector<enum_def>& enums,
             std::string_view what) {
    if (v.is_none()) return unset_slot;
    auto mismatch = [&]() -> usage_error {
        return usage_error(std::string(what) + ": expected a value of type " + std::string(to_string(t.type)) +
                           ", got " + std::string(to_string(v.type())) + " '" + v.to_string() + "'");
    };
    // Host convenience: a string may stand for any type in its rule-file spelling.
    if (v.type() == value_type::string && t.type != value_type::string) {
        value parsed = parse_value(t.type, v.as_string());
        if (parsed.is_none()) throw mismatch();
        return to_slot(parsed, t, pool, enums, what);
    }
    switch (t.type) {
        case value_type::string:
            if (v.type() != value_type::string) throw mismatch();
            return pool.intern(v.as_string());
        case value_type::enumeration: {
            if (v.type() != value_type::enumeration) throw mismatch();
            const auto& e = enums.at(static_cast<std::size_t>(t.enum_id));
            int i = e.find(v.as_string());
            if (i < 0) {
                std::string list;
                for (const auto& n : e.names) list += (list.empty() ? "" : ", ") + n;
                throw usage_error(std::string(what) + ": '" + v.as_string() + "' is not one of [" + list + "]");
            }
            return i;
        }
        case value_type::integer:
            if (v.type() != value_type::integer) throw mismatch();
            return v.as_integer();
        case value_type::decimal:
            if (v.type() != value_type::decimal && v.type() != value_type::integer) throw mismatch();
            return v.as_decimal().units;
        case value_type::boolean:
            if (v.type() != value_type::boolean) throw mismatch();
            return v.as_boolean() ? 1 : 0;
        case value_type::date:
            if (v.type() != value_type::date) throw mismatch();
            return v.as_date().time_since_epoch().count();
        case value_type::instant:
            if (v.type() != value_type::instant) throw mismatch();
            return v.as_instant().time_since_epoch().count();
        case value_type::duration:
            if (v.type() != value_type::duration) throw mismatch();
            return v.as_duration().count();
        case value_type::none: break;
    }
    throw mismatch();
}

value from_slot(slot s, slot_type t, const string_pool& pool, const std::vector<enum_def>& enums) {
    if (s == unset_slot) return {};
    switch (t.type) {
        case value_type::string: return value(pool.get(static_cast<std::uint32_t>(s)));
        case value_type::enumeration:
            return value::enumeration(enums.at(static_cast<std::size_t>(t.enum_id)).names.at(static_cast<std::size_t>(s)));
        case value_type::integer: return value(static_cast<std::int64_t>(s));
        case value_type::decimal: return value(decimal{s});
        case value_type::boolean: return value(s != 0);
        case value_type::date: return value(date_t{date_t::duration{s}});
        case value_type::instant: return value(instant{duration{s}});
        case value_type::duration: return value(duration{s});
        case value_type::none: break;
    }
    return {};
}

std::string format_slot(slot s, slot_type t, const string_pool& pool, const std::vector<enum_def>& enums) {
    return from_slot(s, t, pool, enums).to_string();
}

}  // namespace caseflow::detail
