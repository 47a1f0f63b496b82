// Loading business calendars from YAML.  Every mistake becomes a rule_error
// at the offending node (`file:line:column: what was expected`); a child
// calendar (`extends: office`) is resolved against the parsed parent, so a
// parent is validated on its own before anything inherits from it.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <date/date.h>
#include <date/tz.h>

#include "calendar_impl.hpp"
#include "caseflow/calendar.hpp"
#include "caseflow/detail/suggest.hpp"
#include "text_file.hpp"
#include "yaml_tree.hpp"

namespace caseflow {
namespace {

namespace fs = std::filesystem;
using std::chrono::minutes;

const char* const weekday_names[7] = {"monday", "tuesday", "wednesday", "thursday",
                                      "friday", "saturday", "sunday"};

// One parsed special day (holiday or make-up day) with where it came from.
struct raw_day {
    date_t day;
    std::string name;
    std::optional<std::vector<clock_range>> hours;
    source_pos pos;
    date_t range_from, range_to;  // the entry's whole range, for messages
};

// What one file says, before inheritance.
struct raw_calendar {
    std::string path, name;
    std::optional<std::string> extends;
    source_pos extends_pos;
    std::optional<std::string> zone;
    std::optional<std::vector<int>> years;
    source_pos years_pos;
    std::optional<std::vector<clock_range>> weekly[7];
    bool has_working_hours = false;
    std::optional<std::vector<clock_range>> makeup_hours;
    std::optional<std::vector<clock_range>> quiet;
    std::vector<raw_day> holidays, makeups;
};

// A spec with the positions needed to report inherited conflicts.
struct resolved {
    calendar_spec spec;
    std::vector<clock_range> makeup_hours;
    std::vector<source_pos> holiday_pos, makeup_pos;
};

class parser {
public:
    explicit parser(std::string path) : path_(std::move(path)) {}

    raw_calendar parse() {
        std::string text;
        if (!detail::read_text_file(path_, text)) throw rule_error(source_pos{path_, 0, 0}, "cannot open calendar file");
        std::optional<yaml::document> doc;
        try {
            doc.emplace(text);
        } catch (const yaml::syntax_error& e) {
            throw rule_error(pos(e.where()), e.report());
        }
        const yaml::node& root = doc->root();
        raw_calendar c;
        c.path = path_;
        c.name = fs::path(path_).stem().string();
        if (!root.is_map())
            throw rule_error(pos(root.where()), "expected a mapping of calendar settings "
                                               "(zone, years, working_hours, ...)");
        static const std::vector<std::string> keys = {
            "description", "extends",     "zone",     "years",          "working_hours",
            "makeup_hours", "quiet_hours", "holidays", "makeup_workdays"};
        for (const auto& kv : root.entries()) {
            std::string key = scalar(*kv.first, "a key");
            const yaml::node& v = *kv.second;
            if (key == "description") {
                scalar(v, "a description");
            } else if (key == "extends") {
                c.extends = scalar(v, "the name of another calendar of this directory");
                c.extends_pos = pos(v.where());
            } else if (key == "zone") {
                std::string z = scalar(v, "an IANA time zone name such as Asia/Shanghai");
                check_zone(z, v);
                c.zone = z;
            } else if (key == "years") {
                c.years = parse_years(v);
                c.years_pos = pos(v.where());
            } else if (key == "working_hours") {
                parse_weekly(v, c);
                c.has_working_hours = true;
            } else if (key == "makeup_hours") {
                c.makeup_hours = parse_ranges(v, "make-up hours", false);
            } else if (key == "quiet_hours") {
                c.quiet = parse_ranges(v, "quiet range", true);
            } else if (key == "holidays") {
                c.holidays = parse_days(v, false);
            } else if (key == "makeup_workdays") {
                c.makeups = parse_days(v, true);
            } else {
                throw rule_error(pos(kv.first->where()), "unknown key '" + key + "' in calendar" +
                                                            detail::did_you_mean(key, keys));
            }
        }
        return c;
    }

    source_pos pos(const yaml::mark& m) const { return source_pos{path_, m.line + 1, m.column + 1}; }

private:
    std::string scalar(const yaml::node& n, const std::string& expected) const {
        if (!n.is_scalar()) throw rule_error(pos(n.where()), "expected " + expected);
        return n.scalar();
    }

    void check_zone(const std::string& z, const yaml::node& n) const {
        try {
            date::locate_zone(z);
            return;
        } catch (const std::exception&) {
        }
        std::vector<std::string> names;
        const auto& db = date::get_tzdb();
        for (const auto& zone : db.zones) names.push_back(zone.name());
        throw rule_error(pos(n.where()), "unknown time zone '" + z + "'" + detail::did_you_mean(z, names) +
                                            "; expected an IANA zone name such as Asia/Shanghai");
    }

    std::vector<int> parse_years(const yaml::node& v) const {
        std::vector<int> years;
        auto one = [&](const yaml::node& n) {
            const std::string s = n.is_scalar() ? n.scalar() : std::string();
            bool ok = s.size() == 4 && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
            if (!ok) throw rule_error(pos(n.where()), "expected a year such as 2026");
            int y = std::stoi(s);
            if (!years.empty() && y != years.back() + 1)
                throw rule_error(pos(n.where()), "years must be consecutive and ascending: expected " +
                                                    std::to_string(years.back() + 1) + ", got " + s);
            years.push_back(y);
        };
        if (v.is_sequence()) {
            for (const yaml::node* n : v.items()) one(*n);
        } else {
            one(v);
        }
        if (years.empty()) throw rule_error(pos(v.where()), "expected at least one year, e.g. years: [2026]");
        return years;
    }

    // `HH:MM`, 00:00..24:00.
    minutes parse_time(std::string_view t, const yaml::node& n) const {
        auto bad = [&] {
            return rule_error(pos(n.where()), "invalid time '" + std::string(t) +
                                                 "': expected HH:MM between 00:00 and 24:00");
        };
        if (t.size() != 5 || t[2] != ':') throw bad();
        for (int i : {0, 1, 3, 4})
            if (t[static_cast<std::size_t>(i)] < '0' || t[static_cast<std::size_t>(i)] > '9') throw bad();
        int h = (t[0] - '0') * 10 + (t[1] - '0');
        int m = (t[3] - '0') * 10 + (t[4] - '0');
        if (h > 24 || m > 59 || (h == 24 && m != 0)) throw bad();
        return minutes{h * 60 + m};
    }

    clock_range parse_range(const yaml::node& n, const std::string& what, bool may_cross) const {
        std::string s = scalar(n, "a time range such as 08:15-17:15");
        auto dash = s.find('-');
        if (dash == std::string::npos)
            throw rule_error(pos(n.where()), "expected a time range such as 08:15-17:15, got '" + s + "'");
        auto trim = [](std::string_view x) {
            while (!x.empty() && x.front() == ' ') x.remove_prefix(1);
            while (!x.empty() && x.back() == ' ') x.remove_suffix(1);
            return x;
        };
        clock_range r{parse_time(trim(std::string_view(s).substr(0, dash)), n),
                      parse_time(trim(std::string_view(s).substr(dash + 1)), n)};
        if (r.begin == minutes{24 * 60})
            throw rule_error(pos(n.where()), what + " '" + r.str() + "' starts at 24:00; use 00:00");
        if (r.begin == r.end) throw rule_error(pos(n.where()), what + " '" + r.str() + "' is empty");
        if (!may_cross && r.end < r.begin)
            throw rule_error(pos(n.where()), what + " '" + r.str() +
                                                "' ends before it starts; working ranges cannot cross "
                                                "midnight (split it at 24:00)");
        if (may_cross && r.end == minutes{24 * 60}) r.end = minutes{0};
        return r;
    }

    // One range or a list of them.  Working ranges are sorted and must not
    // overlap; quiet ranges are kept as written.
    std::vector<clock_range> parse_ranges(const yaml::node& v, const std::string& what, bool quiet) const {
        std::vector<std::pair<clock_range, yaml::mark>> out;
        if (v.is_sequence()) {
            for (const yaml::node* n : v.items()) out.emplace_back(parse_range(*n, what, quiet), n->where());
        } else if (v.is_scalar()) {
            out.emplace_back(parse_range(v, what, quiet), v.where());
        } else if (!v.is_null()) {
            throw rule_error(pos(v.where()), "expected a time range such as 08:15-17:15 or a list of them");
        }
        std::vector<clock_range> ranges;
        for (const auto& [r, m] : out) ranges.push_back(r);
        if (quiet) return ranges;
        // Report the later-written of two overlapping ranges.
        for (std::size_t i = 0; i < out.size(); ++i)
            for (std::size_t j = 0; j < i; ++j)
                if (out[i].first.begin < out[j].first.end && out[j].first.begin < out[i].first.end)
                    throw rule_error(pos(out[i].second), what + " '" + out[i].first.str() + "' overlaps '" +
                                                             out[j].first.str() + "'");
        std::sort(ranges.begin(), ranges.end(),
                  [](const clock_range& a, const clock_range& b) { return a.begin < b.begin; });
        return ranges;
    }

    void parse_weekly(const yaml::node& v, raw_calendar& c) const {
        if (!v.is_map())
            throw rule_error(pos(v.where()), "expected a mapping from weekday (monday ... sunday) to "
                                            "working ranges");
        const std::vector<std::string> names(std::begin(weekday_names), std::end(weekday_names));
        for (const auto& kv : v.entries()) {
            std::string key = scalar(*kv.first, "a weekday");
            auto w = std::find(names.begin(), names.end(), key);
            if (w == names.end())
                throw rule_error(pos(kv.first->where()), "unknown weekday '" + key + "'" +
                                                            detail::did_you_mean(key, names) +
                                                            "; expected monday ... sunday");
            c.weekly[w - names.begin()] = parse_ranges(*kv.second, "working range", false);
        }
    }

    date_t parse_date_node(const yaml::node& n) const {
        std::string s = scalar(n, "a date such as 2026-10-01");
        auto d = caseflow::parse_date(s);
        if (!d) throw rule_error(pos(n.where()), "invalid date '" + s + "': expected YYYY-MM-DD");
        return *d;
    }

    std::vector<raw_day> parse_days(const yaml::node& v, bool makeup) const {
        const char* what = makeup ? "make-up working day" : "holiday";
        if (!v.is_sequence())
            throw rule_error(pos(v.where()), std::string("expected a list of ") + what +
                                                (makeup ? "s ({date, name, hours})" : "s ({date, name} or {from, to, name})"));
        static const std::vector<std::string> holiday_keys = {"date", "from", "to", "name"};
        static const std::vector<std::string> makeup_keys = {"date", "name", "hours"};
        const auto& keys = makeup ? makeup_keys : holiday_keys;
        std::vector<raw_day> out;
        for (const yaml::node* item : v.items()) {
            const yaml::node& e = *item;
            if (!e.is_map())
                throw rule_error(pos(e.where()), std::string("expected a ") + what +
                                                    (makeup ? " {date, name}" : " {date, name} or {from, to, name}"));
            std::optional<date_t> date, from, to;
            std::string name;
            std::optional<std::vector<clock_range>> hours;
            for (const auto& kv : e.entries()) {
                std::string key = scalar(*kv.first, "a key");
                if (std::find(keys.begin(), keys.end(), key) == keys.end())
                    throw rule_error(pos(kv.first->where()), "unknown key '" + key + "' in " + what +
                                                                detail::did_you_mean(key, keys));
                if (key == "date") date = parse_date_node(*kv.second);
                else if (key == "from") from = parse_date_node(*kv.second);
                else if (key == "to") to = parse_date_node(*kv.second);
                else if (key == "name") name = scalar(*kv.second, "a name");
                else hours = parse_ranges(*kv.second, "working range", false);
            }
            if (name.empty()) throw rule_error(pos(e.where()), std::string(what) + " needs a 'name'");
            if (date && (from || to))
                throw rule_error(pos(e.where()), std::string(what) + " '" + name +
                                                    "' has both 'date' and 'from'/'to'; use one");
            if (!date && !(from && to))
                throw rule_error(pos(e.where()), std::string(what) + " '" + name + "' needs 'date'" +
                                                    (makeup ? "" : ", or 'from' and 'to'"));
            if (date) from = to = date;
            if (*to < *from)
                throw rule_error(pos(e.where()), std::string(what) + " '" + name + "' ends (" +
                                                    format_date(*to) + ") before it starts (" +
                                                    format_date(*from) + ")");
            for (date_t d = *from; d <= *to; d += date::days{1})
                out.push_back(raw_day{d, name, hours, pos(e.where()), *from, *to});
        }
        return out;
    }

    std::string path_;
};

std::string range_text(const raw_day& d) {
    if (d.range_from == d.range_to) return format_date(d.range_from);
    return format_date(d.range_from) + ".." + format_date(d.range_to);
}

// Resolves `extends` chains and validates the merged result.  Files are read
// lazily, once each, from one directory.
class resolver {
public:
    explicit resolver(fs::path dir) : dir_(std::move(dir)) {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir_.empty() ? fs::path(".") : dir_, ec))
            if (entry.path().extension() == ".yaml") names_.push_back(entry.path().stem().string());
        std::sort(names_.begin(), names_.end());
    }

    const std::vector<std::string>& names() const { return names_; }

    fs::path path_of(const std::string& name) const { return dir_ / (name + ".yaml"); }

    const resolved& resolve(const std::string& path) {
        std::string name = fs::path(path).stem().string();
        if (auto it = done_.find(name); it != done_.end()) return it->second;
        if (failed_.count(name)) throw already_reported{};
        try {
            raw_calendar raw = parser(path).parse();
            resolved r = merge(raw);
            return done_.emplace(name, std::move(r)).first->second;
        } catch (const rule_error&) {
            failed_.insert(name);
            throw;
        }
    }

    // Thrown when a parent failed and its error was already reported.
    struct already_reported {};

private:
    resolved merge(const raw_calendar& raw) {
        resolved out;
        const resolved* parent = nullptr;
        if (raw.extends) {
            const std::string& base = *raw.extends;
            if (std::find(stack_.begin(), stack_.end(), base) != stack_.end() || base == raw.name) {
                std::string chain;
                for (const auto& s : stack_) chain += s + " -> ";
                chain += raw.name + " -> " + base;
                throw rule_error(raw.extends_pos, "extends cycle: " + chain);
            }
            if (std::find(names_.begin(), names_.end(), base) == names_.end())
                throw rule_error(raw.extends_pos, "unknown calendar '" + base + "' in extends" +
                                                      detail::did_you_mean(base, names_) +
                                                      "; expected the file stem of a calendar in " +
                                                      (dir_.empty() ? std::string(".") : dir_.string()));
            stack_.push_back(raw.name);
            try {
                parent = &resolve(path_of(base).string());
            } catch (const rule_error&) {
                stack_.pop_back();  // the parent's own error, at its own position
                throw;
            } catch (const already_reported&) {
                stack_.pop_back();
                throw rule_error(raw.extends_pos, "calendar '" + base + "' cannot be loaded (see its errors)");
            }
            stack_.pop_back();
        }
        calendar_spec& s = out.spec;
        s.name = raw.name;
        if (parent) {
            s = parent->spec;
            s.name = raw.name;
            out.makeup_hours = parent->makeup_hours;
        }
        if (raw.zone) s.zone_name = *raw.zone;
        if (raw.years) s.years = *raw.years;
        source_pos top{raw.path, 1, 1};
        if (s.years.empty())
            throw rule_error(top, "missing 'years': say which years the holiday data covers, "
                                  "e.g. years: [2026]");
        for (int w = 0; w < 7; ++w)
            if (raw.weekly[w]) s.weekly[w] = *raw.weekly[w];
        if (!raw.has_working_hours && !parent)
            throw rule_error(top, "missing 'working_hours': give the working ranges per weekday, "
                                  "e.g. monday: [08:15-17:15]");
        if (raw.quiet) s.quiet = *raw.quiet;
        // Default hours of a make-up day: `makeup_hours`, else those of the
        // first weekday (Monday first) that has working hours.
        if (raw.makeup_hours) out.makeup_hours = *raw.makeup_hours;
        else if (!parent || raw.has_working_hours) {
            out.makeup_hours.clear();
            for (int w = 0; w < 7 && out.makeup_hours.empty(); ++w) out.makeup_hours = s.weekly[w];
        }

        auto in_years = [&](date_t d) {
            int y = static_cast<int>(date::year_month_day{d}.year());
            return y >= s.years.front() && y <= s.years.back();
        };
        // Inherited days outside this calendar's years are dropped; the parent
        // validated them against its own years.
        auto keep_in_years = [&](std::vector<calendar_spec::special_day>& v, std::vector<source_pos>& p) {
            std::size_t k = 0;
            for (std::size_t i = 0; i < v.size(); ++i)
                if (in_years(v[i].day)) {
                    if (i != k) {
                        v[k] = std::move(v[i]);
                        p[k] = std::move(p[i]);
                    }
                    ++k;
                }
            v.resize(k);
            p.resize(k);
        };
        if (parent) {
            out.holiday_pos = parent->holiday_pos;
            out.makeup_pos = parent->makeup_pos;
            keep_in_years(s.holidays, out.holiday_pos);
            keep_in_years(s.makeups, out.makeup_pos);
            // A make-up day inherited with default hours gets this calendar's default.
        }
        auto find_day = [](const std::vector<calendar_spec::special_day>& v, date_t d) {
            return std::find_if(v.begin(), v.end(), [&](const auto& x) { return x.day == d; });
        };
        for (const auto& h : raw.holidays) {
            if (!in_years(h.day))
                throw rule_error(h.pos, "holiday '" + h.name + "' (" + range_text(h) +
                                            ") is outside the calendar's years (" + years_text(s.years) + ")");
            if (auto it = find_day(s.holidays, h.day); it != s.holidays.end())
                throw rule_error(h.pos, "holiday '" + h.name + "' on " + format_date(h.day) +
                                            " overlaps holiday '" + it->name + "'");
            s.holidays.push_back({h.day, h.name, {}});
            out.holiday_pos.push_back(h.pos);
        }
        for (const auto& m : raw.makeups) {
            if (!in_years(m.day))
                throw rule_error(m.pos, "make-up working day '" + m.name + "' (" + range_text(m) +
                                            ") is outside the calendar's years (" + years_text(s.years) + ")");
            if (auto it = find_day(s.makeups, m.day); it != s.makeups.end())
                throw rule_error(m.pos, "make-up working day '" + m.name + "' on " + format_date(m.day) +
                                            " is already a make-up working day ('" + it->name + "')");
            std::vector<clock_range> hours = m.hours ? *m.hours : out.makeup_hours;
            if (hours.empty())
                throw rule_error(m.pos, "make-up working day '" + m.name +
                                            "' has no hours: give 'hours' or 'makeup_hours'");
            s.makeups.push_back({m.day, m.name, std::move(hours)});
            out.makeup_pos.push_back(m.pos);
        }
        for (std::size_t i = 0; i < s.makeups.size(); ++i)
            if (auto it = find_day(s.holidays, s.makeups[i].day); it != s.holidays.end())
                throw rule_error(out.makeup_pos[i], "make-up working day '" + s.makeups[i].name + "' on " +
                                                        format_date(s.makeups[i].day) + " is also holiday '" +
                                                        it->name + "'");
        return out;
    }

    static std::string years_text(const std::vector<int>& y) {
        return y.size() == 1 ? std::to_string(y.front())
                             : std::to_string(y.front()) + "-" + std::to_string(y.back());
    }

    fs::path dir_;
    std::vector<std::string> names_;
    std::map<std::string, resolved> done_;
    std::set<std::string> failed_;
    std::vector<std::string> stack_;
};

}  // namespace

calendar calendar::load(const std::string& path) {
    resolver r(fs::path(path).parent_path());
    try {
        return calendar(impl::build(r.resolve(path).spec));
    } catch (const resolver::already_reported&) {
        throw rule_error(source_pos{path, 0, 0}, "calendar cannot be loaded");  // not reached
    }
}

calendar_set load_calendars(const std::string& directory) {
    if (!fs::is_directory(directory))
        throw rule_error(source_pos{directory, 0, 0}, "not a directory of calendars");
    resolver r{fs::path(directory)};
    calendar_set set;
    std::vector<rule_error> errors;
    for (const auto& name : r.names()) {
        try {
            calendar c(calendar::impl::build(r.resolve(r.path_of(name).string()).spec));
            auto& v = set.calendars_;
            auto at = std::lower_bound(v.begin(), v.end(), name,
                                       [](const auto& entry, const std::string& n) { return entry.first < n; });
            if (at == v.end() || at->first != name) v.emplace(at, name, std::move(c));
        } catch (const resolver::already_reported&) {
        } catch (const rule_error& e) {
            errors.push_back(e);
        }
    }
    if (errors.size() == 1) throw errors.front();
    if (!errors.empty()) throw rule_errors(std::move(errors));
    return set;
}

}  // namespace caseflow
