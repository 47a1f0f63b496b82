// Compile-time probe (bench/compile_time.sh): a host that defines the same
// complaint workflow as a Boost.MSM machine (bench/msm_complaint.hpp) and runs it.
#include <cstdio>

#include "msm_complaint.hpp"

int main() {
    namespace mc = caseflow::bench::msm_complaint;
    mc::machine m;
    m.severity = mc::severity_level::major;
    m.start();
    m.process_event(mc::facts_established{});
    m.process_event(mc::cannot_solve{});
    m.process_event(mc::promised_date_reached{});
    m.process_event(mc::replied{});
    m.process_event(mc::close{});
    std::printf("state=%d replies=%u escalations=%u\n", m.current_state()[0], m.replies, m.escalations);
    return m.current_state()[0] == mc::closed_id ? 0 : 1;
}
