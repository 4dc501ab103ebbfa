# netter — one controller for setup, data, reports and tests.
# `make` regenerates every study's reports; `make test` runs the suite; `make help` lists targets.
#
# A study is a folder of data (studies/<id>/study.toml, or any study.toml): nothing below
# names a trial. `make` builds each study of STUDIES into reports/<id>/ and writes
# reports/index.html linking them. One study:
#
#   make STUDY=netter2                                  # reports/netter2/ (its own data)
#   make report STUDY=my/study.toml DATA=my/adam REPORTS=my/reports   # your own data
#
# For one study, `netter study make` writes the study's plan as Make variables (analyses,
# notebooks, the figures and tables each analysis gives) into .make/, which this file
# includes. Dependency graph (each product depends on its inputs and the library sources
# it uses, so editing one thing rebuilds only what follows from it):
#
#   pyproject.toml -> .venv (setup; a product needs the venv but is not rebuilt because the
#   venv is newer: after `make setup` on a fresh clone nothing reruns; `make -B` rebuilds all)
#   study.toml -> .make/<study>.mk (the plan)
#   simulation.toml + netter/synthetic -> DATA/<cut-off>/ (data, simulated studies only)
#   simulation.toml + calibration.toml + library -> REPORTS/calibration/ (calibration)
#   notebook script + DATA + library -> REPORTS/notebooks/<nb>.html + REPORTS/results/<a>.json
#   REPORTS/results/<a>.json + netter/figures, netter/tables
#       -> REPORTS/figures/<a>--km|response|forest.{png,svg} (netter figures)
#       -> REPORTS/tables/<a>--summary|response|characteristics.{csv,html} (netter tables)
#   REPORTS/results/*.json + published.json + scorecard.toml -> the scorecard
#   everything above -> REPORTS/index.html

.DELETE_ON_ERROR:
.DEFAULT_GOAL := all
SHELL := /bin/bash

PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
BUILD   := .make
#: Versions the committed reports were made with (`make lock` refreshes it from .venv).
#: They are pinned for the Python of the project's machine (3.11, Linux x86-64); where a
#: pinned wheel does not exist, install without it and `make lock` (reports may then
#: differ in their last bytes: figures depend on matplotlib's version).
LOCK    := constraints.txt
#: Installer: uv (fetched from the package index into .venv) when available, else pip.
INSTALLER ?= uv

# Each step prints one line saying what it does; V=1 also echoes the commands.
V ?=
Q := $(if $(V),,@)
say = @printf '==> %s\n' "$(1)"

#: Studies `make` builds when no STUDY is named.
STUDIES ?= netter1 netter2
#: One study: an id under studies/, a folder or a study.toml.
STUDY   ?=
#: Simulation seed (empty: the config's), calibration seeds (empty: the study's), processes.
SEED    ?=
SEEDS   ?=
WORKERS ?= 2

# Python sources of packages or modules (a module turned into a package stays covered).
py = $(sort $(wildcard $(addsuffix .py,$(1))) $(shell find $(1) -name '*.py' 2>/dev/null))

CORE_SOURCES  := $(call py,netter/__init__ netter/errors netter/profiles netter/results \
                          netter/spreadsheet netter/artefacts netter/study)
CLI_SOURCES   := $(call py,netter/__main__ netter/cli)
SYNTH_SOURCES := $(call py,netter/__init__ netter/errors netter/adam/columns netter/synthetic)
TABLE_LIB     := $(CORE_SOURCES) $(CLI_SOURCES) $(call py,netter/tables)
FIGURE_LIB    := $(TABLE_LIB) $(call py,netter/figures)
ANALYSIS_LIB  := $(FIGURE_LIB) $(call py,netter/adam netter/stats netter/endpoints \
                   netter/reconstruct netter/synthetic netter/scorecard netter/published \
                   netter/engine netter/explain) \
                 $(call py,netter/report/__init__ netter/report/__main__ netter/report/notebook \
                           netter/report/pipeline) \
                 $(sort $(shell find data/examples -type f 2>/dev/null))
SCORECARD_LIB := $(CORE_SOURCES) $(CLI_SOURCES) $(call py,netter/scorecard netter/published \
                   netter/stats/binomial netter/tables/fmt netter/figures/theme)
CALIB_SOURCES := $(CORE_SOURCES) $(CLI_SOURCES) $(SYNTH_SOURCES) \
                 $(call py,netter/adam netter/stats netter/endpoints netter/engine \
                           netter/scorecard netter/published netter/tables/__init__ \
                           netter/tables/fmt)
INDEX_LIB     := $(SCORECARD_LIB) $(call py,netter/report)

.PHONY: all setup lock data calibration report notebooks figures tables scorecard index test \
        lint crosscheck check-report fuzz crossover-study clean clean-reports help

# uv resolves and installs in parallel; if it cannot be installed, pip does the same job.
$(STAMP): pyproject.toml $(LOCK)
	$(call say,setup: $(VENV) with netter (editable) and its dev extra at the versions of $(LOCK))
	$(Q)$(PYTHON) -m venv $(VENV)
	$(Q)if [ "$(INSTALLER)" = uv ] && $(BIN)/python -m pip install --quiet uv 2>/dev/null \
		&& echo "    installing with uv $$($(BIN)/uv --version | cut -d' ' -f2)" \
		&& $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python \
			--constraint $(LOCK) -e '.[dev]'; then :; \
	else \
		echo "    installing with pip"; \
		$(BIN)/python -m pip install --quiet --upgrade pip && \
		$(BIN)/python -m pip install --quiet --constraint $(LOCK) -e '.[dev]'; \
	fi
	$(Q)touch $@

setup: $(STAMP) ## Create .venv and install netter (editable) with its dev extra (INSTALLER=pip)

lock: $(STAMP) ## Write the versions installed in .venv to constraints.txt
	$(call say,lock: the versions installed in $(VENV) -> $(LOCK))
	$(Q){ echo "# Versions the committed reports were made with: make setup installs these."; \
	      echo "# Refresh with make lock (then regenerate and commit the reports)."; \
	      $(BIN)/python -m pip freeze --exclude-editable | grep -v '^uv=='; } > $(LOCK)

test: $(STAMP) ## Run ruff and the test suite
	$(call say,test: ruff then pytest)
	$(BIN)/ruff check netter tests analyses studies
	$(BIN)/python -m pytest

lint: $(STAMP) ## Run ruff only
	$(call say,lint: ruff)
	$(BIN)/ruff check netter tests analyses studies

crosscheck: $(STAMP) ## Rerun the R reference scripts (needs Rscript) and compare
	@command -v Rscript >/dev/null || { echo "Rscript not found: install r-base-core r-cran-survival"; exit 1; }
	cd tests/reference && for s in *.R; do Rscript "$$s"; done
	$(BIN)/python -m pytest tests -q -k reference

# Optional, not part of `make test`: needs Chromium (the Debian package, installed here when
# missing). REPORTS= checks another reports folder (from its index.html).
CHECK_REPORTS = $(or $(REPORTS),reports)
check-report: $(STAMP) ## Open reports/index.html in headless Chromium: links, images, console (installs chromium)
	$(Q)command -v chromium >/dev/null || { \
		echo "==> check-report: chromium not found: installing the Debian package chromium (apt-get)"; \
		if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
		|| { $$sudo apt-get update -qq && \
		     $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; }
	$(call say,check-report: $(CHECK_REPORTS)/index.html and every page it reaches in headless Chromium)
	$(Q)$(BIN)/python -m netter.report check --reports $(CHECK_REPORTS) \
		--screenshot $(CHECK_REPORTS)/check/index.png

# Optional, not part of `make test`: a fuzzing campaign over the CLI with a fixed seed. Each
# case writes mutated synthetic ADaM files (CSV, Parquet, SAS XPORT) and runs `netter
# validate` and `netter analyze` on them in-process; the summary counts clear errors,
# acceptances and tracebacks, and shows the first traceback of each kind.
FUZZ_CASES ?= 1000
FUZZ_SEED  ?= 1
fuzz: $(STAMP) ## Fuzz validate and analyze with mutated ADaM files (FUZZ_CASES=, FUZZ_SEED=)
	$(call say,fuzz: $(FUZZ_CASES) mutated ADaM folders through netter validate and analyze -> reports/fuzz/)
	$(Q)$(BIN)/python -m tests.fuzz.campaign --cases $(FUZZ_CASES) --seed $(FUZZ_SEED) \
		--out reports/fuzz

# Optional, not part of `make test` or `make`: the crossover adjustments of `netter
# crossover` against the simulator's truth. Each trial of the study (STUDY, else the first
# of STUDIES) is simulated with and without switching from one seed, under the mechanics
# common_effect (A = 1.5) and the study's own; every method is judged against the twin's
# ITT hazard ratio at the last cut-off. SEED= is the base seed (trial k: SEED + k).
CROSSOVER_STUDY  = $(firstword $(or $(STUDY),$(STUDIES)))
CROSSOVER_TRIALS ?= 200
crossover-study: $(STAMP) ## Crossover methods vs the simulator's truth -> reports/crossover-study/ (CROSSOVER_TRIALS=, SEED=)
	$(call say,crossover-study: $(CROSSOVER_TRIALS) trials per mechanic of $(CROSSOVER_STUDY) against their twins without switching -> reports/crossover-study/)
	$(Q)$(BIN)/python analyses/crossover_study.py --study $(CROSSOVER_STUDY) \
		--trials $(CROSSOVER_TRIALS) $(if $(SEED),--seed $(SEED)) --workers $(WORKERS) \
		--out reports/crossover-study

clean: ## Remove the virtual environment, the study plans and caches (data and reports stay)
	$(call say,clean: $(VENV) $(BUILD) and caches)
	$(Q)rm -rf $(VENV) $(BUILD) .pytest_cache .ruff_cache
	$(Q)find . -name __pycache__ -type d -prune -exec rm -rf {} +

# The calibration of a study stays: it is kept or rerun by `netter calibrate` from the
# digest of its inputs, so `make` after this regenerates everything else and checks it.
clean-reports: ## Remove generated reports (not .venv, data or calibrations): make rebuilds them
	$(call say,clean-reports: everything under reports/ but each study's calibration/)
	$(Q)rm -rf reports/index.html $(BUILD)
	$(Q)find reports -mindepth 2 -maxdepth 2 ! -name calibration -exec rm -rf {} +

help: ## List targets (STUDY=, DATA=, REPORTS= for one study; STUDIES= for several)
	@grep -E '^[a-z][a-zA-Z_ -]*:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

ifeq ($(strip $(STUDY)),)
# --- every study of STUDIES, then reports/index.html linking them --------------------------

HOME_PAGE := reports/index.html

STUDY_GOALS := $(addprefix study/,$(STUDIES))
.PHONY: $(STUDY_GOALS)

# Studies are independent: under `make -jN` they are built side by side.
all: $(STUDY_GOALS) ## Set up if needed; data, calibration and reports of every study (STUDIES=)
	@$(MAKE) --no-print-directory $(HOME_PAGE)

$(STUDY_GOALS): $(STAMP)
	@$(MAKE) --no-print-directory STUDY=$(@F) all

# The home page links each study's index (its scorecard summary is read from it).
$(HOME_PAGE): $(foreach s,$(STUDIES),reports/$(s)/index.html studies/$(s)/study.toml) \
		$(call py,netter/report/index netter/report/__main__) | $(STAMP)
	$(call say,home page: $@ linking $(STUDIES))
	$(Q)$(BIN)/python -m netter.report home --reports reports $(STUDIES)

data calibration report notebooks figures tables scorecard index: $(STAMP)
	@for s in $(STUDIES); do $(MAKE) --no-print-directory STUDY=$$s $@ || exit 1; done

else
# --- one study -------------------------------------------------------------------------------

STUDY_TOML := $(if $(filter %.toml,$(STUDY)),$(STUDY),$(if $(wildcard $(STUDY)/study.toml),$(STUDY)/study.toml,studies/$(STUDY)/study.toml))
PLAN := $(BUILD)/$(subst /,_,$(subst .,_,$(STUDY))).mk

$(PLAN): $(STUDY_TOML) | $(STAMP)
	$(call say,[$(STUDY)] plan: $(STUDY_TOML) -> $@)
	@mkdir -p $(@D)
	$(Q)$(BIN)/netter study make --study $(STUDY) --out $@

ifneq ($(filter-out setup lock test lint crosscheck check-report fuzz clean clean-reports help,$(or $(MAKECMDGOALS),all)),)
include $(PLAN)

DATA    ?= $(S_DATA)
REPORTS ?= reports/$(S_ID)
RESULTS   := $(REPORTS)/results
NOTEBOOKS := $(REPORTS)/notebooks
FIGURES   := $(REPORTS)/figures
TABLES    := $(REPORTS)/tables
INDEX     := $(REPORTS)/index.html
STUDY_DEPS := $(S_FILES)

ifneq ($(wildcard $(PLAN)),)
ifeq ($(strip $(DATA)),)
$(error study $(STUDY) has no data folder: give DATA=folder (one subfolder per cut-off))
endif
endif

# A simulated study's own data are generated from its simulator configuration.
SIMULATED :=
ifneq ($(S_SIMULATION),)
ifeq ($(DATA),$(S_DATA))
SIMULATED := $(DATA)/MANIFEST.json
$(SIMULATED): $(S_SIMULATION) $(SYNTH_SOURCES) | $(STAMP)
	$(call say,[$(S_ID)] data: simulate $(S_SIMULATION) -> $(DATA)/)
	$(Q)$(BIN)/netter simulate --quiet --study $(STUDY) $(if $(SEED),--seed $(SEED)) --out $(DATA)
endif
endif
DATA_DEPS := $(SIMULATED) $(sort $(wildcard $(DATA)/*.* $(DATA)/*/*.*))

RESULT_FILES   := $(patsubst %,$(RESULTS)/%.json,$(S_ANALYSES))
FIGURE_RESULTS := $(foreach a,$(S_ANALYSES),$(if $(S_FIG_$(a)),$(RESULTS)/$(a).json))
TABLE_RESULTS  := $(foreach a,$(S_ANALYSES),$(if $(S_TAB_$(a)),$(RESULTS)/$(a).json))
NOTEBOOK_FILES := $(patsubst %,$(NOTEBOOKS)/%.html,$(S_NOTEBOOKS))
FIGURE_FILES   := $(foreach a,$(S_ANALYSES),$(foreach f,$(S_FIG_$(a)),$(FIGURES)/$(f).png \
                                                                    $(FIGURES)/$(f).svg))
TABLE_FILES    := $(foreach a,$(S_ANALYSES),$(foreach t,$(S_TAB_$(a)),$(TABLES)/$(t).csv \
                                                                    $(TABLES)/$(t).html))
SCORECARD_FILES := $(if $(S_PUBLISHED),$(RESULTS)/scorecard.json $(TABLES)/scorecard.csv \
                   $(TABLES)/scorecard.html $(FIGURES)/scorecard--summary.png \
                   $(FIGURES)/scorecard--summary.svg)
CALIBRATION    := $(if $(S_CALIBRATION),$(REPORTS)/calibration/calibration.md)

all: $(if $(SIMULATED),data) $(if $(CALIBRATION),calibration) report ## One study (STUDY=): data, calibration, reports

data: $(SIMULATED) ## Simulate the study's trial into its data folder (simulated studies only)

calibration: $(CALIBRATION) ## The published numbers against the study's simulator (SEEDS=, WORKERS=)

report: $(INDEX) ## Analyses, notebooks, figures, tables, scorecard and REPORTS/index.html

notebooks: $(NOTEBOOK_FILES) ## Execute the study's notebooks into REPORTS/notebooks/ and REPORTS/results/

figures: $(FIGURE_FILES) ## Figures from REPORTS/results/ (netter figures)

tables: $(TABLE_FILES) ## Tables from REPORTS/results/ (netter tables)

scorecard: $(SCORECARD_FILES) ## The scorecard from REPORTS/results/ (studies with published numbers)

index: $(INDEX) ## REPORTS/index.html

ifneq ($(CALIBRATION),)
# `netter calibrate` keeps a saved calibration made from the same inputs (their digest is
# in calibration.json), so a newer time stamp alone (a fresh clone) costs a second.
$(CALIBRATION): $(STUDY_DEPS) $(CALIB_SOURCES) | $(STAMP)
	$(call say,[$(S_ID)] calibration: $(S_CALIBRATION) -> $(@D)/ (kept if its inputs are unchanged))
	$(Q)$(BIN)/netter calibrate --study $(STUDY) $(if $(SEEDS),--seeds $(SEEDS)) \
		--workers $(WORKERS) --out $(@D)
endif

# One process executes every notebook of the study, each in a fresh kernel forked from it
# once it has imported the libraries (python -m netter.report notebooks). A notebook writes
# its HTML and the results files of its analyses; an analysis no notebook of the study
# saves runs in the generic analyses/analysis.py. Every product is a target of the group.
nb_script = $(or $(S_NB_$(1)_SCRIPT),analyses/analysis.py)
NOTEBOOK_SCRIPTS := $(sort $(foreach n,$(S_NOTEBOOKS),$(call nb_script,$(n))))
NOTEBOOK_RESULTS := $(foreach n,$(S_NOTEBOOKS),$(patsubst %,$(RESULTS)/%.json,$(S_NB_$(n)_RESULTS)))

ifneq ($(NOTEBOOK_FILES),)
$(NOTEBOOK_FILES) $(NOTEBOOK_RESULTS) &: $(NOTEBOOK_SCRIPTS) $(DATA_DEPS) $(STUDY_DEPS) \
		$(ANALYSIS_LIB) | $(STAMP)
	$(call say,[$(S_ID)] notebooks: $(words $(S_NOTEBOOKS)) in kernels forked from one process -> $(NOTEBOOKS)/)
	$(Q)NETTER_STUDY=$(STUDY) NETTER_DATA=$(DATA) NETTER_RESULTS=$(RESULTS) \
		$(BIN)/python -m netter.report notebooks --workers $(WORKERS) \
		$(foreach n,$(S_NOTEBOOKS),--job $(call nb_script,$(n)) $(NOTEBOOKS)/$(n).html \
		NETTER_ANALYSIS=$(S_NB_$(n)_ANALYSIS))
endif

# One process draws every figure of the study, one writes every table: each product is a
# target of the group and depends on the results files and library code it is made from.
ifneq ($(FIGURE_FILES),)
$(FIGURE_FILES) &: $(FIGURE_RESULTS) $(FIGURE_LIB) | $(STAMP)
	$(call say,[$(S_ID)] figures: $(words $(FIGURE_RESULTS)) results files -> $(FIGURES)/)
	$(Q)$(BIN)/netter figures --quiet --out $(FIGURES) --results $(FIGURE_RESULTS)
endif

ifneq ($(TABLE_FILES),)
$(TABLE_FILES) &: $(TABLE_RESULTS) $(TABLE_LIB) | $(STAMP)
	$(call say,[$(S_ID)] tables: $(words $(TABLE_RESULTS)) results files -> $(TABLES)/)
	$(Q)$(BIN)/netter tables --quiet --out $(TABLES) --results $(TABLE_RESULTS)
endif

ifneq ($(SCORECARD_FILES),)
$(SCORECARD_FILES) &: $(RESULT_FILES) $(STUDY_DEPS) $(SCORECARD_LIB) | $(STAMP)
	$(call say,[$(S_ID)] scorecard: $(S_PUBLISHED) against $(RESULTS)/)
	$(Q)$(BIN)/netter scorecard --quiet --study $(STUDY) --results $(RESULT_FILES) --out $(REPORTS)
endif

# The index links whatever is under REPORTS, the calibration included. When the goal makes
# the calibration (all, calibration), the index depends on it: under `make -j` it is never
# written before the calibration, and is rewritten after it changes. `make report` alone
# does not calibrate.
INDEX_CALIBRATION := $(if $(filter all calibration,$(or $(MAKECMDGOALS),all)),$(CALIBRATION))
$(INDEX): $(SCORECARD_FILES) $(FIGURE_FILES) $(TABLE_FILES) $(NOTEBOOK_FILES) $(RESULT_FILES) \
		$(INDEX_CALIBRATION) $(STUDY_DEPS) $(INDEX_LIB) | $(STAMP)
	$(call say,[$(S_ID)] index: $@)
	$(Q)$(BIN)/python -m netter.report index --reports $(REPORTS) --study $(STUDY)

endif
endif
