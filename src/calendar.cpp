// Business-time queries on a loaded calendar.  The definitions (what "N
// business days after T" means, how DST gaps are handled) are documented in
// docs/calendars.md and pinned by tests/calendar_test.cpp.
#include "caseflow/calendar.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <utility>

#include <date/date.h>
#include <date/tz.h>

#include "calendar_impl.hpp"
#include "caseflow/detail/suggest.hpp"

namespace caseflow {
namespace {

using std::chrono::minutes;

constexpr std::int64_t ms_of(instant t) noexcept { return t.time_since_epoch().count(); }
constexpr instant instant_of(std::int64_t ms) noexcept { return instant{duration{ms}}; }

std::string hhmm(minutes m) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(m.count() / 60),
                  static_cast<int>(m.count() % 60));
    return buf;
}

}  // namespace

// --- small value types -------------------------------------------------------

std::string clock_range::str() const { return hhmm(begin) + '-' + hhmm(end); }

std::string business_duration::str() const {
    switch (kind) {
        case business_days: return std::to_string(count) + " business_days";
        case business_hours: return std::to_string(count) + " business_hours";
        case business_minutes: return std::to_string(count) + " business_minutes";
        case calendar_ms: break;
    }
    return format_duration(duration{count});
}

std::optional<business_duration> parse_business_duration(std::string_view text) {
    auto trim = [](std::string_view s) {
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
        return s;
    };
    text = trim(text);
    std::size_t i = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i > 0 && i < 19) {
        std::string_view unit = trim(text.substr(i));
        static constexpr std::pair<std::string_view, business_duration::unit> units[] = {
            {"business_days", business_duration::business_days},
            {"business_day", business_duration::business_days},
            {"business_hours", business_duration::business_hours},
            {"business_hour", business_duration::business_hours},
            {"business_minutes", business_duration::business_minutes},
            {"business_minute", business_duration::business_minutes},
        };
        for (const auto& [name, u] : units) {
            if (unit == name) {
                std::int64_t n = 0;
                for (std::size_t k = 0; k < i; ++k) n = n * 10 + (text[k] - '0');
                return business_duration{u, n};
            }
        }
    }
    if (auto d = parse_duration(text)) return business_duration::calendar(*d);
    return std::nullopt;
}

// --- impl helpers ------------------------------------------------------------

instant calendar::impl::at_local(date_t day, duration time_of_day) const {
    auto local = date::local_days{day.time_since_epoch()} + time_of_day;
    auto info = zone->get_info(local);
    switch (info.result) {
        case date::local_info::unique:
        case date::local_info::ambiguous:  // the first occurrence
            return instant{local.time_since_epoch()} - info.first.offset;
        case date::local_info::nonexistent:  // skipped: the instant of the change
            break;
    }
    return std::chrono::time_point_cast<duration>(info.first.end);
}

date_t calendar::impl::local_date(instant t) const {
    auto local = zone->to_local(t);
    return date_t{date::floor<date::days>(local).time_since_epoch()};
}

std::string calendar::impl::years_text() const {
    if (years.size() == 1) return std::to_string(years.front());
    return std::to_string(years.front()) + "-" + std::to_string(years.back());
}

void calendar::impl::no_data(date_t day) const {
    throw calendar_data_error("calendar '" + name + "' has no data for " + format_date(day) +
                              ": it covers " + years_text());
}

std::size_t calendar::impl::day_index(date_t day) const {
    auto i = (day - first_day).count();
    if (i < 0 || i >= static_cast<long>(days.size())) no_data(day);
    return static_cast<std::size_t>(i);
}

void calendar::impl::check_instant(instant t) const {
    auto ms = ms_of(t);
    if (ms < span_begin || ms > span_end) no_data(local_date(t));
}

std::int64_t calendar::impl::worked_until(std::int64_t t) const noexcept {
    auto it = std::upper_bound(begin_.begin(), begin_.end(), t);
    if (it == begin_.begin()) return 0;
    auto i = static_cast<std::size_t>(it - begin_.begin()) - 1;
    std::int64_t before = cum_end_[i] - (end_[i] - begin_[i]);
    return before + (std::min(t, end_[i]) - begin_[i]);
}

const calendar::impl* calendar::impl::build(const calendar_spec& spec) {
    auto p = std::make_unique<impl>();
    p->name = spec.name;
    p->zone_name = spec.zone_name;
    p->zone = date::locate_zone(spec.zone_name);
    p->years = spec.years;
    p->quiet = spec.quiet;
    p->patterns.emplace_back();
    p->names.emplace_back();

    auto pattern_of = [&](const std::vector<clock_range>& ranges) -> std::uint16_t {
        if (ranges.empty()) return 0;
        for (std::size_t i = 0; i < p->patterns.size(); ++i)
            if (p->patterns[i] == ranges) return static_cast<std::uint16_t>(i);
        p->patterns.push_back(ranges);
        return static_cast<std::uint16_t>(p->patterns.size() - 1);
    };
    auto name_of = [&](const std::string& n) -> std::uint16_t {
        for (std::size_t i = 0; i < p->names.size(); ++i)
            if (p->names[i] == n) return static_cast<std::uint16_t>(i);
        p->names.push_back(n);
        return static_cast<std::uint16_t>(p->names.size() - 1);
    };
    std::uint16_t weekly[7];
    for (int w = 0; w < 7; ++w) weekly[w] = pattern_of(spec.weekly[w]);

    p->first_day = date_t{date::year{spec.years.front()} / date::January / 1};
    date_t end_day{date::year{spec.years.back() + 1} / date::January / 1};
    p->days.resize(static_cast<std::size_t>((end_day - p->first_day).count()));
    for (std::size_t i = 0; i < p->days.size(); ++i) {
        date_t day = p->first_day + date::days{static_cast<int>(i)};
        unsigned iso = date::weekday{day}.iso_encoding();  // Monday = 1
        auto& e = p->days[i];
        e.pattern = weekly[iso - 1];
        e.kind = e.pattern ? day_kind::regular : day_kind::weekly_off;
    }
    for (const auto& h : spec.holidays) {
        auto& e = p->days[static_cast<std::size_t>((h.day - p->first_day).count())];
        e.kind = day_kind::holiday;
        e.pattern = 0;
        e.name = name_of(h.name);
    }
    for (const auto& m : spec.makeups) {
        auto& e = p->days[static_cast<std::size_t>((m.day - p->first_day).count())];
        e.kind = day_kind::makeup;
        e.pattern = pattern_of(m.hours);
        e.name = name_of(m.name);
    }

    std::int64_t cum = 0;
    for (std::size_t i = 0; i < p->days.size(); ++i) {
        auto& e = p->days[i];
        date_t day = p->first_day + date::days{static_cast<int>(i)};
        e.working_before = static_cast<std::uint32_t>(p->working_days.size());
        e.first_interval = static_cast<std::uint32_t>(p->begin_.size());
        if (e.pattern == 0) continue;
        p->working_days.push_back(static_cast<std::int32_t>(i));
        for (const auto& r : p->patterns[e.pattern]) {
            std::int64_t b = ms_of(p->at_local(day, r.begin));
            std::int64_t en = ms_of(p->at_local(day, r.end));
            if (en < b) en = b;  // only possible around a DST change at a range edge
            if (!p->begin_.empty() && b < p->end_.back()) b = std::max(b, p->end_.back());
            if (en < b) en = b;
            cum += en - b;
            p->begin_.push_back(b);
            p->end_.push_back(en);
            p->cum_end_.push_back(cum);
            p->interval_day_.push_back(static_cast<std::int32_t>(i));
            ++e.interval_count;
        }
    }
    p->span_begin = ms_of(p->at_local(p->first_day, {}));
    p->span_end = ms_of(p->at_local(end_day, {}));
    return p.release();
}

// --- calendar ------------------------------------------------------------------

calendar::calendar(const impl* p) noexcept : impl_(detail::retain(p)) {}
calendar::calendar(const calendar& o) noexcept : impl_(detail::retain(o.impl_)) {}
calendar::calendar(calendar&& o) noexcept : impl_(std::exchange(o.impl_, nullptr)) {}
calendar& calendar::operator=(const calendar& o) noexcept {
    detail::copy_assign(impl_, o.impl_);
    return *this;
}
calendar& calendar::operator=(calendar&& o) noexcept {
    detail::move_assign(impl_, o.impl_);
    return *this;
}
calendar::~calendar() { detail::release(impl_); }

const std::string& calendar::name() const noexcept { return impl_->name; }
const std::string& calendar::zone_name() const noexcept { return impl_->zone_name; }
const std::vector<int>& calendar::years() const noexcept { return impl_->years; }
const std::vector<clock_range>& calendar::quiet_hours() const noexcept { return impl_->quiet; }

bool calendar::covers(date_t day) const noexcept {
    auto i = (day - impl_->first_day).count();
    return i >= 0 && i < static_cast<long>(impl_->days.size());
}

bool calendar::is_working_day(date_t day) const {
    return impl_->days[impl_->day_index(day)].pattern != 0;
}

day_info calendar::describe(date_t day) const {
    const auto& e = impl_->days[impl_->day_index(day)];
    return day_info{e.kind, impl_->names[e.name], e.pattern != 0};
}

const std::vector<clock_range>& calendar::working_ranges(date_t day) const {
    return impl_->patterns[impl_->days[impl_->day_index(day)].pattern];
}

date_t calendar::add_working_days(date_t day, int n) const {
    const auto& p = *impl_;
    auto i = p.day_index(day);
    const auto& e = p.days[i];
    // Index in working_days of the first working day >= day.
    long first_at_or_after = e.working_before;
    long target;
    if (n > 0)
        target = first_at_or_after + (e.pattern != 0 ? 1 : 0) + (n - 1);
    else if (n < 0)
        target = first_at_or_after + n;
    else
        target = first_at_or_after;
    if (target < 0) p.no_data(p.first_day - date::days{1});
    if (target >= static_cast<long>(p.working_days.size()))
        p.no_data(p.first_day + date::days{static_cast<int>(p.days.size())});
    return p.first_day + date::days{p.working_days[static_cast<std::size_t>(target)]};
}

instant calendar::next_working_instant(instant t) const {
    const auto& p = *impl_;
    p.check_instant(t);
    auto ms = ms_of(t);
    auto it = std::upper_bound(p.begin_.begin(), p.begin_.end(), ms);
    if (it != p.begin_.begin() && ms <= p.end_[static_cast<std::size_t>(it - p.begin_.begin()) - 1])
        return t;
    if (it == p.begin_.end())
        p.no_data(p.first_day + date::days{static_cast<int>(p.days.size())});
    return instant_of(*it);
}

instant calendar::add(instant from, business_duration d) const {
    const auto& p = *impl_;
    if (d.kind == business_duration::calendar_ms) return from + duration{d.count};
    if (d.count < 0)
        throw usage_error("cannot add a negative business duration (" + d.str() + ")");
    p.check_instant(from);
    if (d.kind == business_duration::business_days) {
        instant t0 = next_working_instant(from);
        if (d.count == 0) return t0;
        // The day t0 belongs to is the day of its working range, which matters
        // when t0 is the end of a range that ends at 24:00.
        auto ms = ms_of(t0);
        auto k = static_cast<std::size_t>(std::upper_bound(p.begin_.begin(), p.begin_.end(), ms) -
                                          p.begin_.begin()) - 1;
        date_t day = p.first_day + date::days{p.interval_day_[k]};
        auto tod = p.zone->to_local(t0) - date::local_days{day.time_since_epoch()};
        if (d.count > static_cast<std::int64_t>(p.working_days.size()))
            p.no_data(p.first_day + date::days{static_cast<int>(p.days.size())});
        date_t target = add_working_days(day, static_cast<int>(d.count));
        const auto& e = p.days[p.day_index(target)];
        std::int64_t lo = p.begin_[e.first_interval];
        std::int64_t hi = p.end_[e.first_interval + e.interval_count - 1];
        std::int64_t r = ms_of(p.at_local(target, tod));
        return instant_of(std::clamp(r, lo, hi));
    }
    std::int64_t unit = d.kind == business_duration::business_hours ? 3600000 : 60000;
    if (d.count == 0) return from;
    const std::int64_t total = p.cum_end_.empty() ? 0 : p.cum_end_.back();
    const bool too_long = d.count > total / unit;  // also keeps count * unit from overflowing
    std::int64_t target = too_long ? total + 1 : p.worked_until(ms_of(from)) + d.count * unit;
    auto it = std::lower_bound(p.cum_end_.begin(), p.cum_end_.end(), target);
    if (it == p.cum_end_.end())
        throw calendar_data_error("adding " + d.str() + " to " +
                                  format_instant(from, utc_offset_minutes(from)) +
                                  " runs past the end of calendar '" + p.name + "' data (it covers " +
                                  p.years_text() + ")");
    auto i = static_cast<std::size_t>(it - p.cum_end_.begin());
    return instant_of(p.end_[i] - (*it - target));
}

duration calendar::working_time_between(instant a, instant b) const {
    const auto& p = *impl_;
    p.check_instant(a);
    p.check_instant(b);
    return duration{p.worked_until(ms_of(b)) - p.worked_until(ms_of(a))};
}

instant calendar::end_of_working_day(instant t) const {
    const auto& p = *impl_;
    p.check_instant(t);
    date_t day = p.local_date(t);
    auto i = p.day_index(day);
    const auto& e = p.days[i];
    if (e.interval_count > 0) {
        std::int64_t end = p.end_[e.first_interval + e.interval_count - 1];
        if (ms_of(t) < end) return instant_of(end);
    }
    date_t next = add_working_days(day, 1);
    const auto& n = p.days[p.day_index(next)];
    return instant_of(p.end_[n.first_interval + n.interval_count - 1]);
}

bool calendar::in_quiet_hours(instant t) const {
    return next_contact_allowed(t) != t;
}

instant calendar::next_contact_allowed(instant t) const {
    const auto& p = *impl_;
    // Quiet hours are wall-clock ranges: find those containing t's local time
    // and jump to the latest end; repeat for adjacent or overlapping ranges.
    // Ranges never cover a whole day, so a few passes settle it.
    for (int pass = 0; pass < 16; ++pass) {
        auto local = p.zone->to_local(t);
        auto midnight = date::floor<date::days>(local);
        date_t day{midnight.time_since_epoch()};
        auto tod = local - midnight;
        instant moved = t;
        for (const auto& q : p.quiet) {
            date_t end_day;
            if (q.crosses_midnight()) {
                if (tod >= q.begin) end_day = day + date::days{1};
                else if (tod < q.end) end_day = day;
                else continue;
            } else if (tod >= q.begin && tod < q.end) {
                end_day = day;
            } else {
                continue;
            }
            instant e = p.at_local(end_day, q.end);
            if (e > moved) moved = e;
        }
        if (moved == t) return t;
        t = moved;
    }
    return t;
}

instant calendar::at_local(date_t day, duration time_of_day) const {
    return impl_->at_local(day, time_of_day);
}

date_t calendar::local_date(instant t) const { return impl_->local_date(t); }

duration calendar::local_time_of_day(instant t) const {
    auto local = impl_->zone->to_local(t);
    return local - date::floor<date::days>(local);
}

int calendar::utc_offset_minutes(instant t) const {
    auto info = impl_->zone->get_info(t);
    return static_cast<int>(std::chrono::duration_cast<minutes>(info.offset).count());
}

// --- calendar_set ------------------------------------------------------------------

const calendar* calendar_set::find(std::string_view name) const noexcept {
    auto it = std::lower_bound(calendars_.begin(), calendars_.end(), name,
                               [](const auto& entry, std::string_view n) { return entry.first < n; });
    return it == calendars_.end() || it->first != name ? nullptr : &it->second;
}

const calendar& calendar_set::at(std::string_view name) const {
    if (const calendar* c = find(name)) return *c;
    throw usage_error("unknown calendar '" + std::string(name) + "'" +
                      detail::did_you_mean(name, names()));
}

std::vector<std::string> calendar_set::names() const {
    std::vector<std::string> out;
    out.reserve(calendars_.size());
    for (const auto& [n, c] : calendars_) out.push_back(n);
    return out;
}

}  // namespace caseflow
