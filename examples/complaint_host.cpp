// A minimal host: load the shipped rules, open a major complaint, feed it the
// desk's events and let the clock run; every action the engine asks for is
// printed, as a CRM would perform it.  Run from the repository root.
#include <iostream>

#include "caseflow/caseflow.hpp"

int main() {
    using namespace std::chrono_literals;
    auto rules = caseflow::load_rules("rules");
    caseflow::engine engine{rules};
    engine.on_action([](const caseflow::action& a) {
        std::cout << caseflow::format_instant(a.at, 8 * 60) << ' ' << a.case_id << ' ' << caseflow::to_string(a.kind);
        for (const auto& [name, value] : a.params) std::cout << ' ' << name << '=' << value;
        std::cout << '\n';
    });
    const auto t0 = *caseflow::parse_instant("2026-10-12T09:00:00+08:00");
    auto c = engine.open("complaint", {{"severity", "major"}, {"phone", "13800000000"}}, t0, "C-100");
    engine.dispatch(c, "facts_established", {{"agent", "A07"}}, t0 + 10min);
    engine.dispatch(c, "solved", {}, t0 + 2h);
    engine.dispatch(c, "replied", {}, t0 + 3h);
    engine.advance_to(t0 + 24h);
    std::cout << "state: " << engine.state(c) << '\n';
    return engine.state(c) == "recording" ? 0 : 1;
}
