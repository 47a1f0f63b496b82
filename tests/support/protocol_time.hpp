// Shared by the protocol machine tests: Boost.Test printers for times, and a
// fixed Monday to build instants from (all in UTC, no calendar involved).
#pragma once

#include <chrono>
#include <optional>
#include <ostream>

#include <boost/test/unit_test.hpp>

#include "caseflow/time.hpp"

namespace boost::test_tools::tt_detail {
template <>
struct print_log_value<caseflow::duration> {
    void operator()(std::ostream& os, caseflow::duration d) { os << d.count() << "ms"; }
};
template <>
struct print_log_value<caseflow::instant> {
    void operator()(std::ostream& os, caseflow::instant t) { os << t.time_since_epoch().count() << "ms"; }
};
template <>
struct print_log_value<std::optional<caseflow::instant>> {
    void operator()(std::ostream& os, const std::optional<caseflow::instant>& t) {
        if (t)
            os << t->time_since_epoch().count() << "ms";
        else
            os << "none";
    }
};
}  // namespace boost::test_tools::tt_detail

// 2026-03-02 (a Monday) is day 20514 since 1970-01-01.
inline constexpr caseflow::date_t monday{caseflow::days{20514}};
/// `day` days after that Monday, at `time_of_day` UTC.
inline caseflow::instant at_day(int day, std::chrono::minutes time_of_day) {
    return caseflow::instant{monday + caseflow::days{day}} + time_of_day;
}
inline caseflow::instant mon(std::chrono::minutes t) { return at_day(0, t); }
