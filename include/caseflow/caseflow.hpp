// caseflow: a rules and workflow engine for customer-service departments.
// This umbrella header only includes the topic headers.
#pragma once

#include "caseflow/action.hpp"
#include "caseflow/calendar.hpp"
#include "caseflow/campaign.hpp"
#include "caseflow/engine.hpp"
#include "caseflow/error.hpp"
#include "caseflow/history.hpp"
#include "caseflow/replay.hpp"
#include "caseflow/report.hpp"
#include "caseflow/rules.hpp"
#include "caseflow/time.hpp"
#include "caseflow/value.hpp"
