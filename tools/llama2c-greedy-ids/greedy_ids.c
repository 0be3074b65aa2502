// Prints the token ids that llama2.c's own forward pass picks greedily (temperature 0) for a legacy checkpoint, starting
// from BOS, one run of STEPS positions (stops early at BOS, as run.c does). The kit's golden file
// tests/HardNegatives.Tests/TestData/models/stories260K/greedy-ids.txt was made this way.
//
// It reuses run.c unchanged: run.c's own main is renamed away and this file's main calls run.c's functions
// (checkpoint_init_weights, malloc_run_state, transformer, argmax). It needs no tokenizer: it prints ids, not text.
// Built and run by tools/llama2c-greedy-ids/run.sh against run.c at karpathy/llama2.c commit bd182289c596fa6059eb7b3b7c8ccd04b5c90fc3.
#define main llama2c_run_main
#include "run.c"
#undef main

int main(int argc, char *argv[]) {
    if (argc < 2) { fprintf(stderr, "usage: %s checkpoint.bin [steps]\n", argv[0]); return 2; }
    int steps = argc >= 3 ? atoi(argv[2]) : 256;
    Config config;
    TransformerWeights weights;
    FILE *file = fopen(argv[1], "rb");
    if (!file) { fprintf(stderr, "cannot open %s\n", argv[1]); return 1; }
    if (fread(&config, sizeof(Config), 1, file) != 1) { return 1; }
    int shared_weights = config.vocab_size > 0 ? 1 : 0;
    config.vocab_size = abs(config.vocab_size);
    fseek(file, 0, SEEK_END);
    ssize_t file_size = ftell(file);
    fclose(file);
    int fd = open(argv[1], O_RDONLY);
    if (fd == -1) { fprintf(stderr, "open failed\n"); return 1; }
    float *data = mmap(NULL, file_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (data == MAP_FAILED) { fprintf(stderr, "mmap failed\n"); return 1; }
    checkpoint_init_weights(&weights, &config, data + sizeof(Config) / sizeof(float), shared_weights);
    if (steps <= 0 || steps > config.seq_len) steps = config.seq_len;

    RunState state;
    malloc_run_state(&state, &config);
    int token = 1, pos = 0; // BOS, as run.c
    while (pos < steps) {
        transformer(token, pos, &config, &state, &weights);
        int next = argmax(state.logits, config.vocab_size);
        pos++;
        if (next == 1) break; // run.c's data-dependent stop
        printf(pos > 1 ? " %d" : "%d", next);
        token = next;
    }
    printf("\n");
    free_run_state(&state);
    munmap(data, file_size);
    close(fd);
    return 0;
}
