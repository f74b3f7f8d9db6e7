// The whole client runtime in one include, for generated code.
#pragma once

#include "tether/client/errors.h"
#include "tether/client/http_types.h"
#include "tether/client/options.h"
#include "tether/client/pager.h"
#include "tether/client/problem.h"
#include "tether/client/retry.h"
#include "tether/client/sse.h"
#include "tether/client/transport.h"
