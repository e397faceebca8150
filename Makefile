# The two commands of the README: `make run` and `make test`.
.PHONY: run test bench
run:
	bash scripts/run.sh

test:
	bash scripts/test.sh $(ARGS)

bench:
	bash scripts/bench.sh $(ARGS)
