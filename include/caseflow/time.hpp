// Instants and durations.  The engine works in UTC milliseconds
// (std::chrono::sys_time); local time only exists in business calendars.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace caseflow {

// Spelled out so the header needs neither C++20 <chrono> calendars nor
// date/date.h: these are the very types of std::chrono::sys_time<milliseconds>
// / std::chrono::sys_days (C++20) and date::sys_time / date::sys_days.
using duration = std::chrono::milliseconds;
/// A point in time, UTC, millisecond precision.
using instant = std::chrono::time_point<std::chrono::system_clock, duration>;
/// Whole days.
using days = std::chrono::duration<int, std::ratio<86400>>;
/// A calendar date (days since 1970-01-01).
using date_t = std::chrono::time_point<std::chrono::system_clock, days>;

/// Parses an ISO 8601 instant with an explicit offset or `Z`:
/// `2026-09-30T16:00:00+08:00`, `2026-09-30T08:00:00Z`, `2026-09-30T16:00+08:00`.
std::optional<instant> parse_instant(std::string_view text);
/// Formats as ISO 8601 with the given UTC offset in minutes (`+08:00`), seconds
/// always shown, milliseconds only when non-zero.
std::string format_instant(instant t, int offset_minutes = 0);
/// Parses `YYYY-MM-DD`.
std::optional<date_t> parse_date(std::string_view text);
std::string format_date(date_t d);

/// A length of plain (calendar) time: ISO 8601 `P3D`, `PT4H30M`, `P1W`, or the
/// short forms `3d`, `4h`, `90m`, `30s`, `1d12h`.  Months and years are not
/// fixed lengths and are rejected.
std::optional<duration> parse_duration(std::string_view text);
/// Formats a duration in the short form (`3d`, `4h30m`, `0s`, `-2h`).
std::string format_duration(duration d);

}  // namespace caseflow
