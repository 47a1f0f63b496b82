// Uses the installed headers and library the way a host does.
#include <cstdio>
#include <string>

#if __has_include(<caseflow/caseflow.hpp>)
#include <caseflow/caseflow.hpp>
#endif
#include <caseflow/time.hpp>

int main() {
    const auto t = caseflow::parse_instant("2026-09-30T16:00:00+08:00");
    if (!t) {
        std::puts("caseflow consumer: parse_instant failed");
        return 1;
    }
    const std::string utc = caseflow::format_instant(*t);
    const std::string local = caseflow::format_instant(*t, 8 * 60);
    if (utc != "2026-09-30T08:00:00Z" || local != "2026-09-30T16:00:00+08:00" ||
        t->time_since_epoch().count() != 1790755200000) {
        std::printf("caseflow consumer: unexpected %s / %s\n", utc.c_str(), local.c_str());
        return 1;
    }
    std::printf("caseflow consumer: ok (%s)\n", utc.c_str());
    return 0;
}
