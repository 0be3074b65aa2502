// Golden-output driver for karpathy/llama2.c's run.c (MIT). This file is ours; run.c is NOT in this repository:
// regenerate.sh fetches/points at a llama2.c checkout and compiles this driver against its unmodified run.c
// (run.c's own main is compiled out by defining TESTING, the switch llama2.c's test.c uses).
//
//   goldens encode   TOKENIZER.bin VOCAB_SIZE INPUTS.txt  one line of ids per input (encode(text, bos=0, eos=0))
//   goldens generate CHECKPOINT.bin TOKENIZER.bin STEPS [PROMPT]
//                                                        greedy ids exactly as run.c's generate() at -t 0, one line:
//                                                        the tokens it would print (prompt tokens excluded)
// INPUTS.txt: each input followed by the line __ggml_vocab_test__ (llama.cpp's test-vocab format).
#define TESTING
#include "run.c"

static const char *DELIM = "\n__ggml_vocab_test__\n";

static int encode_file(const char *tok_path, int vocab_size, const char *inputs_path) {
    Tokenizer tokenizer;
    build_tokenizer(&tokenizer, (char *)tok_path, vocab_size);
    FILE *f = fopen(inputs_path, "rb");
    if (!f) { fprintf(stderr, "cannot open %s\n", inputs_path); return 1; }
    fseek(f, 0, SEEK_END); long n = ftell(f); fseek(f, 0, SEEK_SET);
    char *all = malloc(n + 1); if (fread(all, 1, n, f) != (size_t)n) return 1; all[n] = '\0'; fclose(f);
    int *tokens = malloc((n + 3) * sizeof(int));
    char *start = all;
    for (char *end; (end = strstr(start, DELIM)) != NULL; start = end + strlen(DELIM)) {
        *end = '\0';
        int count = 0;
        encode(&tokenizer, start, 0, 0, tokens, &count);
        for (int i = 0; i < count; i++) printf(i ? " %d" : "%d", tokens[i]);
        printf("\n");
    }
    free(tokens); free(all); free_tokenizer(&tokenizer);
    return 0;
}

static int generate_ids(const char *ckpt, const char *tok_path, int steps, const char *prompt) {
    Transformer transformer;
    build_transformer(&transformer, (char *)ckpt);
    if (steps <= 0 || steps > transformer.config.seq_len) steps = transformer.config.seq_len;
    Tokenizer tokenizer;
    build_tokenizer(&tokenizer, (char *)tok_path, transformer.config.vocab_size);
    char *text = (char *)(prompt ? prompt : "");
    int *prompt_tokens = malloc((strlen(text) + 3) * sizeof(int));
    int num_prompt_tokens = 0;
    encode(&tokenizer, text, 1, 0, prompt_tokens, &num_prompt_tokens);
    // generate() at temperature 0: sample() is argmax; stop when BOS (1) comes out or after `steps` positions.
    int token = prompt_tokens[0], pos = 0, printed = 0;
    while (pos < steps) {
        float *logits = forward(&transformer, token, pos);
        int next = pos < num_prompt_tokens - 1 ? prompt_tokens[pos + 1] : sample_argmax(logits, transformer.config.vocab_size);
        pos++;
        if (next == 1) break;
        if (pos >= num_prompt_tokens) { printf(printed++ ? " %d" : "%d", next); }
        token = next;
    }
    printf("\n");
    free(prompt_tokens); free_tokenizer(&tokenizer); free_transformer(&transformer);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "encode") == 0) return encode_file(argv[2], atoi(argv[3]), argv[4]);
    if ((argc == 5 || argc == 6) && strcmp(argv[1], "generate") == 0) return generate_ids(argv[2], argv[3], atoi(argv[4]), argc == 6 ? argv[5] : NULL);
    fprintf(stderr, "usage: goldens encode TOKENIZER VOCAB_SIZE INPUTS | goldens generate CHECKPOINT TOKENIZER STEPS [PROMPT]\n");
    return 2;
}
