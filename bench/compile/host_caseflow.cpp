// Compile-time probe (bench/compile_time.sh): a host that embeds caseflow and
// runs the complaint workflow loaded from bench/rules/complaint_bench.yaml.
#include <cstdio>

#include "caseflow/caseflow.hpp"

int main(int argc, char** argv) {
    auto rules = caseflow::load_rules(argc > 1 ? argv[1] : "bench/rules/complaint_bench.yaml");
    caseflow::engine engine{rules};
    engine.on_action([](const caseflow::action& a) { std::printf("%s\n", std::string(to_string(a.kind)).c_str()); });
    const caseflow::instant t0{caseflow::duration{1'790'726'400'000}};
    auto id = engine.open("complaint_bench", {{"severity", caseflow::value::enumeration("major")}}, t0, "C-1");
    const char* script[] = {"facts_established", "cannot_solve", "promised_date_reached", "replied", "close"};
    int minute = 0;
    for (const char* e : script) engine.dispatch(id, e, {}, t0 + std::chrono::minutes(++minute));
    std::printf("%s replies=%s\n", engine.state(id).c_str(), engine.attribute(id, "replies").to_string().c_str());
    return engine.closed(id) ? 0 : 1;
}
