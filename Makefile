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
                          netter/artefacts netter/study)
CLI_SOURCES   := $(call py,netter/__main__ netter/cli)
SYNTH_SOURCES := $(call py,netter/__init__ netter/errors netter/adam/columns netter/synthetic)
TABLE_LIB     := $(CORE_SOURCES) $(CLI_SOURCES) $(call py,netter/tables)
FIGURE_LIB    := $(TABLE_LIB) $(call py,netter/figures)
ANALYSIS_LIB  := $(FIGURE_LIB) $(call py,netter/adam netter/stats netter/endpoints \
                   netter/reconstruct netter/synthetic netter/scorecard netter/published) \
                 $(call py,netter/report/__init__ netter/report/__main__ netter/report/notebook \
                           netter/report/pipeline) \
                 $(sort $(shell find data/examples -type f 2>/dev/null))
SCORECARD_LIB := $(CORE_SOURCES) $(CLI_SOURCES) $(call py,netter/scorecard netter/published \
                   netter/stats/binomial netter/tables/fmt netter/figures/theme)
CALIB_SOURCES := $(CORE_SOURCES) $(CLI_SOURCES) $(SYNTH_SOURCES) \
                 $(call py,netter/adam netter/stats netter/endpoints netter/scorecard \
                           netter/published)
INDEX_LIB     := $(SCORECARD_LIB) $(call py,netter/report)

.PHONY: all setup data calibration report notebooks figures tables scorecard index test lint \
        crosscheck clean help

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(STAMP) ## Create .venv and install netter (editable) with its dev extra

test: $(STAMP) ## Run ruff and the test suite
	$(BIN)/ruff check netter tests analyses studies
	$(BIN)/python -m pytest

lint: $(STAMP) ## Run ruff only
	$(BIN)/ruff check netter tests analyses studies

crosscheck: $(STAMP) ## Rerun the R reference scripts (needs Rscript) and compare
	@command -v Rscript >/dev/null || { echo "Rscript not found: install r-base-core r-cran-survival"; exit 1; }
	cd tests/reference && for s in *.R; do Rscript "$$s"; done
	$(BIN)/python -m pytest tests -q -k reference

clean: ## Remove the virtual environment, the study plans and caches (data and reports stay)
	rm -rf $(VENV) $(BUILD) .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

help: ## List targets (STUDY=, DATA=, REPORTS= for one study; STUDIES= for several)
	@grep -E '^[a-z][a-zA-Z_ -]*:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

ifeq ($(strip $(STUDY)),)
# --- every study of STUDIES, then reports/index.html linking them --------------------------

HOME_PAGE := reports/index.html

all: $(STAMP) ## Set up if needed; data, calibration and reports of every study (STUDIES=)
	@for s in $(STUDIES); do $(MAKE) --no-print-directory STUDY=$$s all || exit 1; done
	@$(MAKE) --no-print-directory $(HOME_PAGE)

# The home page links each study's index (its scorecard summary is read from it).
$(HOME_PAGE): $(foreach s,$(STUDIES),reports/$(s)/index.html studies/$(s)/study.toml) \
		$(call py,netter/report/index netter/report/__main__) | $(STAMP)
	$(BIN)/python -m netter.report home --reports reports $(STUDIES)

data calibration report notebooks figures tables scorecard index: $(STAMP)
	@for s in $(STUDIES); do $(MAKE) --no-print-directory STUDY=$$s $@ || exit 1; done

else
# --- one study -------------------------------------------------------------------------------

STUDY_TOML := $(if $(filter %.toml,$(STUDY)),$(STUDY),$(if $(wildcard $(STUDY)/study.toml),$(STUDY)/study.toml,studies/$(STUDY)/study.toml))
PLAN := $(BUILD)/$(subst /,_,$(subst .,_,$(STUDY))).mk

$(PLAN): $(STUDY_TOML) | $(STAMP)
	@mkdir -p $(@D)
	$(BIN)/netter study make --study $(STUDY) --out $@

ifneq ($(filter-out setup test lint crosscheck clean help,$(or $(MAKECMDGOALS),all)),)
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
	$(BIN)/netter simulate --quiet --study $(STUDY) $(if $(SEED),--seed $(SEED)) --out $(DATA)
endif
endif
DATA_DEPS := $(SIMULATED) $(sort $(wildcard $(DATA)/*.* $(DATA)/*/*.*))

RESULT_FILES   := $(patsubst %,$(RESULTS)/%.json,$(S_ANALYSES))
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
$(CALIBRATION): $(STUDY_DEPS) $(CALIB_SOURCES) | $(STAMP)
	$(BIN)/netter calibrate --study $(STUDY) $(if $(SEEDS),--seeds $(SEEDS)) \
		--workers $(WORKERS) --out $(@D)
endif

# One execution of a notebook writes its HTML and the results files of its analyses; an
# analysis no notebook of the study saves runs in the generic analyses/analysis.py.
define notebook_rule
$(NOTEBOOKS)/$(1).html $(patsubst %,$(RESULTS)/%.json,$(S_NB_$(1)_RESULTS)) &: \
		$(or $(S_NB_$(1)_SCRIPT),analyses/analysis.py) $(DATA_DEPS) $(STUDY_DEPS) \
		$(ANALYSIS_LIB) | $(STAMP)
	NETTER_STUDY=$(STUDY) NETTER_DATA=$(DATA) NETTER_RESULTS=$(RESULTS) \
		NETTER_ANALYSIS=$(S_NB_$(1)_ANALYSIS) $(BIN)/python -m netter.report notebook \
		$(or $(S_NB_$(1)_SCRIPT),analyses/analysis.py) --out $(NOTEBOOKS)/$(1).html
endef
$(foreach n,$(S_NOTEBOOKS),$(eval $(call notebook_rule,$(n))))

define figure_rule
$(foreach f,$(S_FIG_$(1)),$(FIGURES)/$(f).png $(FIGURES)/$(f).svg) &: \
		$(RESULTS)/$(1).json $(FIGURE_LIB) | $(STAMP)
	$(BIN)/netter figures --quiet --results $(RESULTS)/$(1).json --out $(FIGURES) --name $(1)
endef
$(foreach a,$(S_ANALYSES),$(if $(S_FIG_$(a)),$(eval $(call figure_rule,$(a)))))

define table_rule
$(foreach t,$(S_TAB_$(1)),$(TABLES)/$(t).csv $(TABLES)/$(t).html) &: \
		$(RESULTS)/$(1).json $(TABLE_LIB) | $(STAMP)
	$(BIN)/netter tables --quiet --results $(RESULTS)/$(1).json --out $(TABLES) --name $(1)
endef
$(foreach a,$(S_ANALYSES),$(if $(S_TAB_$(a)),$(eval $(call table_rule,$(a)))))

ifneq ($(SCORECARD_FILES),)
$(SCORECARD_FILES) &: $(RESULT_FILES) $(STUDY_DEPS) $(SCORECARD_LIB) | $(STAMP)
	$(BIN)/netter scorecard --quiet --study $(STUDY) --results $(RESULT_FILES) --out $(REPORTS)
endif

# The index links whatever is under REPORTS (calibration included: `all` makes it first).
$(INDEX): $(SCORECARD_FILES) $(FIGURE_FILES) $(TABLE_FILES) $(NOTEBOOK_FILES) $(RESULT_FILES) \
		$(STUDY_DEPS) $(INDEX_LIB) | $(STAMP)
	$(BIN)/python -m netter.report index --reports $(REPORTS) --study $(STUDY)

endif
endif
