// Business calendars: working hours, holidays, make-up working days and quiet
// hours of one IANA time zone, loaded from YAML (rules/calendars/*.yaml), and
// the business-time arithmetic deadlines need.  The zone database and the YAML
// parser stay behind a pimpl so this header needs neither; a loaded calendar
// is immutable and cheap to copy (shared state), and its hot paths work on
// per-day tables precomputed at load time.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caseflow/error.hpp"
#include "caseflow/time.hpp"

namespace caseflow {

class calendar;
class calendar_set;
calendar_set load_calendars(const std::string& directory);

/// Asked about a date or instant outside the years a calendar has data for.
/// A calendar never guesses: it throws this instead.
class calendar_data_error : public error {
public:
    using error::error;
};

/// A range of local wall-clock time within a day, `[begin, end)`, as offsets
/// from local midnight.  Working ranges satisfy `0 <= begin < end <= 24h`;
/// quiet ranges may cross midnight (`end <= begin`: ends on the next day).
struct clock_range {
    std::chrono::minutes begin{0};
    std::chrono::minutes end{0};

    /// `08:15-17:15`.
    std::string str() const;
    bool crosses_midnight() const noexcept { return end <= begin; }
    friend bool operator==(const clock_range& a, const clock_range& b) noexcept {
        return a.begin == b.begin && a.end == b.end;
    }
    friend bool operator!=(const clock_range& a, const clock_range& b) noexcept {
        return !(a == b);
    }
};

/// A length of time, either plain (calendar) time or explicit working time.
///
///     auto d = caseflow::parse_business_duration("3 business_days");
///     instant due = office.add(opened, *d);
struct business_duration {
    enum unit { calendar_ms, business_days, business_hours, business_minutes };

    unit kind = calendar_ms;
    /// Milliseconds for `calendar_ms`, otherwise the number of units.
    std::int64_t count = 0;

    static business_duration calendar(duration d) noexcept { return {calendar_ms, d.count()}; }
    static business_duration days(std::int64_t n) noexcept { return {business_days, n}; }
    static business_duration hours(std::int64_t n) noexcept { return {business_hours, n}; }
    static business_duration minutes(std::int64_t n) noexcept { return {business_minutes, n}; }

    /// True for the units measured on a calendar's working time.
    bool is_business() const noexcept { return kind != calendar_ms; }
    /// `3 business_days`, `24 business_hours`, `90 business_minutes`, or the
    /// short form of a plain duration (`4h30m`).
    std::string str() const;

    friend bool operator==(const business_duration& a, const business_duration& b) noexcept {
        return a.kind == b.kind && a.count == b.count;
    }
    friend bool operator!=(const business_duration& a, const business_duration& b) noexcept {
        return !(a == b);
    }
};

/// Parses `3 business_days`, `24 business_hours`, `90 business_minutes` (the
/// space is optional, singular units are accepted), or a plain duration as
/// caseflow::parse_duration does (`P3D`, `PT4H30M`, `3d`, `4h`, `90m`).
/// Returns nullopt when the text is neither.
std::optional<business_duration> parse_business_duration(std::string_view text);

/// Why a day is or is not a working day.
enum class day_kind {
    regular,      ///< the weekday's normal working hours apply
    weekly_off,   ///< the weekday has no working hours (weekend)
    holiday,      ///< a named holiday: no work
    makeup,       ///< a make-up working day (调休): works though its weekday would not
};

/// What a calendar knows about one local date.
struct day_info {
    day_kind kind = day_kind::regular;
    /// The holiday's or make-up day's name; empty for regular and weekly-off days.
    std::string_view name;
    /// True when the day has working time.
    bool working = false;
};

/// A business calendar.  Load one with calendar::load, or a whole directory
/// with load_calendars.  All queries are const and thread-safe.
///
/// Working-day questions (is_working_day, add, working_time_between, ...)
/// throw calendar_data_error for dates outside `years()`; pure time-zone
/// questions (at_local, local_date, utc_offset_minutes, quiet hours) work for
/// any date the time-zone database knows.
///
///     auto office = caseflow::calendar::load("rules/calendars/office.yaml");
///     auto opened = *caseflow::parse_instant("2026-09-30T16:00:00+08:00");
///     auto due = office.add(opened, caseflow::business_duration::days(3));
///     // caseflow::format_instant(due, office.utc_offset_minutes(due))
///     //   == "2026-10-10T16:00:00+08:00"
class calendar {
public:
    /// Loads one calendar file; `extends: NAME` is resolved as `NAME.yaml` in
    /// the same directory.  Throws rule_error (`file:line:column: message`).
    static calendar load(const std::string& path);

    // Copies share the loaded data (reference counted, out of line).
    calendar(const calendar&) noexcept;
    calendar(calendar&&) noexcept;
    calendar& operator=(const calendar&) noexcept;
    calendar& operator=(calendar&&) noexcept;
    ~calendar();

    /// The calendar's name: its file stem (`office`).
    const std::string& name() const noexcept;
    /// The IANA zone name (`Asia/Shanghai`).
    const std::string& zone_name() const noexcept;
    /// The years the holiday data covers, ascending and consecutive.
    const std::vector<int>& years() const noexcept;
    /// True when `day` lies in one of years().
    bool covers(date_t day) const noexcept;

    // --- days ------------------------------------------------------------

    /// True when the local date has working time.
    bool is_working_day(date_t day) const;
    /// Kind, name and working flag of the local date.
    day_info describe(date_t day) const;
    /// The local working ranges of the date (empty on a day off), ascending.
    const std::vector<clock_range>& working_ranges(date_t day) const;
    /// n > 0: the n-th working day strictly after `day`; n < 0: the |n|-th
    /// working day strictly before it; n == 0: `day` if it is a working day,
    /// else the next working day.
    date_t add_working_days(date_t day, int n) const;

    // --- business time -----------------------------------------------------

    /// `from` + `d`.  Plain durations are added as is.  Business hours and
    /// minutes walk working time: the result is the earliest instant at which
    /// exactly `d` of working time has elapsed since `from` (0 gives `from`).
    /// Business days: `from` first rolls forward to next_working_instant(); the
    /// result is that wall-clock time on the n-th working day after that
    /// instant's date, clamped into that day's first..last working range.
    /// See docs/calendars.md.  Negative business durations throw usage_error.
    instant add(instant from, business_duration d) const;
    /// Working time in `[a, b)`; negative when b < a.
    duration working_time_between(instant a, instant b) const;
    /// `t` if it lies in a working range or exactly at a range's end, else
    /// the start of the next working range.
    instant next_working_instant(instant t) const;
    /// The end of the last working range of t's local day if that day is a
    /// working day and t is before that end; otherwise the end of the last
    /// working range of the next working day.
    instant end_of_working_day(instant t) const;

    // --- outbound contact --------------------------------------------------

    /// True when `t` lies in quiet hours (no outbound contact).
    bool in_quiet_hours(instant t) const;
    /// `t` itself outside quiet hours, else the end of the quiet period
    /// (adjacent quiet ranges are joined).
    instant next_contact_allowed(instant t) const;
    /// The quiet ranges, local time, applied every day.
    const std::vector<clock_range>& quiet_hours() const noexcept;

    // --- local time --------------------------------------------------------

    /// The instant of local wall time `time_of_day` (from midnight; 24h is the
    /// next midnight) on `day`.  A time skipped by a DST change maps to the
    /// instant of the change; a repeated time maps to its first occurrence.
    instant at_local(date_t day, duration time_of_day) const;
    /// The local date of `t`.
    date_t local_date(instant t) const;
    /// Local wall time of `t` since its local midnight.
    duration local_time_of_day(instant t) const;
    /// The zone's UTC offset at `t`, in minutes (+480 for Asia/Shanghai).
    int utc_offset_minutes(instant t) const;

    struct impl;

private:
    explicit calendar(const impl* p) noexcept;  ///< shares p
    friend class calendar_set;
    friend calendar_set load_calendars(const std::string& directory);
    const impl* impl_;  // counted (detail/ref_count.hpp), not a shared_ptr: no <memory> in hosts' compiles
};

/// All calendars of one directory, by name (file stem).
class calendar_set {
public:
    calendar_set() = default;

    /// The calendar named `name`, or nullptr.
    const calendar* find(std::string_view name) const noexcept;
    /// The calendar named `name`; throws usage_error with a did-you-mean hint.
    const calendar& at(std::string_view name) const;
    /// The names, sorted.
    std::vector<std::string> names() const;
    std::size_t size() const noexcept { return calendars_.size(); }
    bool empty() const noexcept { return calendars_.empty(); }

private:
    friend calendar_set load_calendars(const std::string& directory);
    /// Sorted by name, names unique.  (A vector, not a std::map: this header
    /// is in every host's translation unit.)
    std::vector<std::pair<std::string, calendar>> calendars_;
};

/// Loads every `*.yaml` of `directory` (extends resolved among them).  Loads
/// whole or throws: rule_error for one mistake, rule_errors for several.
calendar_set load_calendars(const std::string& directory);

}  // namespace caseflow
