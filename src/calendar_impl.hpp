// Internal state of caseflow::calendar, shared by the loader (calendar_load.cpp)
// and the queries (calendar.cpp).  Everything a hot query needs is
// precomputed at load time: one entry per local day of the covered years and
// one flat, sorted array of working intervals in UTC milliseconds with a
// prefix sum of working time, so working-time arithmetic is a binary search.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <date/tz.h>

#include "caseflow/calendar.hpp"
#include "caseflow/detail/ref_count.hpp"

namespace caseflow {

/// Everything the loader decided about one calendar, before precomputation.
struct calendar_spec {
    struct special_day {
        date_t day;
        std::string name;
        std::vector<clock_range> hours;  // make-up days only
    };

    std::string name;
    std::string zone_name = "Asia/Shanghai";
    std::vector<int> years;                        // ascending, consecutive
    std::vector<clock_range> weekly[7];            // [0] = Monday
    std::vector<clock_range> quiet;
    std::vector<special_day> holidays;             // one per date
    std::vector<special_day> makeups;              // one per date
};

struct calendar::impl : detail::ref_counted {
    struct day_entry {
        std::uint32_t first_interval = 0;  // index into begin_/end_
        std::uint32_t interval_count = 0;
        std::uint32_t working_before = 0;  // working days before this one in the table
        std::uint16_t pattern = 0;         // index into patterns
        std::uint16_t name = 0;            // index into names (0 = "")
        day_kind kind = day_kind::regular;
    };

    std::string name;
    std::string zone_name;
    const date::time_zone* zone = nullptr;
    std::vector<int> years;
    std::vector<clock_range> quiet;

    date_t first_day{};                  // 1 January of the first year
    std::vector<day_entry> days;         // one per local day of the covered years
    std::vector<std::vector<clock_range>> patterns;  // [0] is empty
    std::vector<std::string> names;                   // [0] is ""
    std::vector<std::int32_t> working_days;          // indices into days

    // Working intervals, UTC ms since the epoch, sorted; cum_end_[i] is the
    // working time up to the end of interval i since the start of the data.
    std::vector<std::int64_t> begin_, end_, cum_end_;
    std::vector<std::int32_t> interval_day_;  // owning day index
    std::int64_t span_begin = 0, span_end = 0;  // first local midnight .. last

    static const impl* build(const calendar_spec& spec);  ///< a new, unshared impl

    // Helpers shared by the query code.
    instant at_local(date_t day, duration time_of_day) const;
    date_t local_date(instant t) const;
    /// Index of `day` in `days`; throws calendar_data_error outside the data.
    std::size_t day_index(date_t day) const;
    /// Throws calendar_data_error unless t lies within the data.
    void check_instant(instant t) const;
    /// Working time from the start of the data to t.
    std::int64_t worked_until(std::int64_t t_ms) const noexcept;
    [[noreturn]] void no_data(date_t day) const;
    std::string years_text() const;
};

}  // namespace caseflow
