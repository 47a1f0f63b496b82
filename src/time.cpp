#include "caseflow/time.hpp"

#include <cctype>
#include <cstdio>

#include <date/date.h>

namespace caseflow {
namespace {

// A tiny cursor over fixed-width ASCII fields; the formats here are strict
// (ISO 8601 subsets), so a hand parser gives better errors than sscanf.
struct cursor {
    std::string_view s;
    std::size_t i = 0;
    bool done() const { return i >= s.size(); }
    bool digits(int n, int& out) {
        if (i + n > s.size()) return false;
        out = 0;
        for (int k = 0; k < n; ++k) {
            char c = s[i + k];
            if (c < '0' || c > '9') return false;
            out = out * 10 + (c - '0');
        }
        i += n;
        return true;
    }
    bool lit(char c) {
        if (i < s.size() && s[i] == c) {
            ++i;
            return true;
        }
        return false;
    }
};

bool parse_ymd(cursor& c, date::year_month_day& out) {
    int y, m, d;
    if (!c.digits(4, y) || !c.lit('-') || !c.digits(2, m) || !c.lit('-') || !c.digits(2, d)) return false;
    out = date::year{y} / date::month(static_cast<unsigned>(m)) / date::day(static_cast<unsigned>(d));
    return out.ok();
}

}  // namespace

std::optional<date_t> parse_date(std::string_view text) {
    cursor c{text};
    date::year_month_day ymd;
    if (!parse_ymd(c, ymd) || !c.done()) return std::nullopt;
    return date_t{ymd};
}

std::string format_date(date_t d) {
    date::year_month_day ymd{d};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

std::optional<instant> parse_instant(std::string_view text) {
    cursor c{text};
    date::year_month_day ymd;
    int hh, mm, ss = 0, ms = 0;
    if (!parse_ymd(c, ymd) || !(c.lit('T') || c.lit(' ')) || !c.digits(2, hh) || !c.lit(':') ||
        !c.digits(2, mm))
        return std::nullopt;
    if (c.lit(':')) {
        if (!c.digits(2, ss)) return std::nullopt;
        if (c.lit('.')) {
            int frac = 0, n = 0;
            while (!c.done() && std::isdigit(static_cast<unsigned char>(c.s[c.i]))) {
                if (n < 3) frac = frac * 10 + (c.s[c.i] - '0');
                ++n;
                ++c.i;
            }
            if (n == 0) return std::nullopt;
            for (; n < 3; ++n) frac *= 10;
            ms = frac;
        }
    }
    if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
    int offset = 0;
    if (c.lit('Z')) {
    } else {
        int sign = c.lit('+') ? 1 : (c.lit('-') ? -1 : 0);
        int oh, om;
        if (sign == 0 || !c.digits(2, oh) || !c.lit(':') || !c.digits(2, om) || oh > 23 || om > 59)
            return std::nullopt;
        offset = sign * (oh * 60 + om);
    }
    if (!c.done()) return std::nullopt;
    instant t = date::sys_days{ymd} + std::chrono::hours{hh} + std::chrono::minutes{mm - offset} +
                std::chrono::seconds{ss} + duration{ms};
    return t;
}

std::string format_instant(instant t, int offset_minutes) {
    instant local = t + std::chrono::minutes{offset_minutes};
    auto day = date::floor<date::days>(local);
    date::year_month_day ymd{day};
    date::hh_mm_ss<duration> tod{local - day};
    char buf[64];
    int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                          static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                          static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                          static_cast<int>(tod.seconds().count()));
    std::string s(buf, static_cast<std::size_t>(n));
    if (auto ms = tod.subseconds().count()) {
        std::snprintf(buf, sizeof buf, ".%03d", static_cast<int>(ms));
        s += buf;
    }
    if (offset_minutes == 0) {
        s += 'Z';
    } else {
        int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
        std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
        s += buf;
    }
    return s;
}

std::optional<duration> parse_duration(std::string_view text) {
    if (text.empty()) return std::nullopt;
    bool negative = false;
    if (text[0] == '-') {
        negative = true;
        text.remove_prefix(1);
    }
    using namespace std::chrono;
    std::int64_t total = 0;
    auto unit_ms = [](char u, bool in_time) -> std::int64_t {
        switch (u) {
            case 'W': return in_time ? 0 : 7LL * 86400000;
            case 'D': return in_time ? 0 : 86400000;
            case 'H': return in_time ? 3600000 : 0;
            case 'M': return in_time ? 60000 : 0;  // months (date part) are rejected
            case 'S': return in_time ? 1000 : 0;
            default: return 0;
        }
    };
    if (!text.empty() && text[0] == 'P') {  // ISO 8601
        bool in_time = false, any = false;
        std::size_t i = 1;
        while (i < text.size()) {
            if (text[i] == 'T') {
                if (in_time) return std::nullopt;
                in_time = true;
                ++i;
                continue;
            }
            std::int64_t n = 0;
            std::size_t start = i;
            while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) n = n * 10 + (text[i++] - '0');
            if (i == start || i >= text.size()) return std::nullopt;
            std::int64_t u = unit_ms(text[i++], in_time);
            if (u == 0) return std::nullopt;
            total += n * u;
            any = true;
        }
        if (!any) return std::nullopt;
    } else {  // short form: 3d, 4h30m, 90m, 30s, 1w
        std::size_t i = 0;
        while (i < text.size()) {
            std::int64_t n = 0;
            std::size_t start = i;
            while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) n = n * 10 + (text[i++] - '0');
            if (i == start || i >= text.size()) return std::nullopt;
            std::int64_t u = 0;
            char c = text[i];
            if (c == 'm' && i + 1 < text.size() && text[i + 1] == 's') {
                u = 1;
                ++i;
            } else {
                switch (c) {
                    case 'w': u = 7LL * 86400000; break;
                    case 'd': u = 86400000; break;
                    case 'h': u = 3600000; break;
                    case 'm': u = 60000; break;
                    case 's': u = 1000; break;
                    default: return std::nullopt;
                }
            }
            ++i;
            total += n * u;
        }
    }
    return duration{negative ? -total : total};
}

std::string format_duration(duration d) {
    std::int64_t ms = d.count();
    if (ms == 0) return "0s";
    std::string s;
    if (ms < 0) {
        s = "-";
        ms = -ms;
    }
    const std::pair<std::int64_t, const char*> units[] = {
        {86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}};
    for (auto [u, name] : units) {
        if (ms >= u) {
            s += std::to_string(ms / u) + name;
            ms %= u;
        }
    }
    return s;
}

}  // namespace caseflow
