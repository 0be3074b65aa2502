using Microsoft.DotNet.Interactive.Commands;

namespace HardNegatives.Interactive.Extension;

// The kernel binds a magic's `--kebab-case value` parameters to these properties (JSON, by name).

/// <summary><c>#!hn-mine bm25|cross-encoder --dataset scifact [--model M] [--num-negatives 3] [--limit N] [--split train] [--name negatives]</c></summary>
public sealed class HnMine : KernelCommand
{
    public string? Source { get; set; }
    public string? Model { get; set; }
    public string? Dataset { get; set; }
    public int? NumNegatives { get; set; }
    public int? Limit { get; set; }
    public string? Split { get; set; }
    public string? Name { get; set; }
}

/// <summary>
/// <c>#!hn-search bm25 --dataset scifact [--split test] [--limit N] [--top-k 100] [--name run]</c>, or
/// <c>#!hn-search dense --model (model variable|folder) --dataset scifact [--split test] [--top-k 100] [--name run]</c>
/// </summary>
public sealed class HnSearch : KernelCommand
{
    public string? Source { get; set; }
    public string? Model { get; set; }
    public string? Dataset { get; set; }
    public string? Split { get; set; }
    public int? Limit { get; set; }
    public int? TopK { get; set; }
    public string? Name { get; set; }
}

/// <summary><c>#!hn-eval --run run --dataset scifact [--split test] [--measure ndcg_cut.10,recall.100] [--name evaluation]</c></summary>
public sealed class HnEval : KernelCommand
{
    public string? Run { get; set; }
    public string? Dataset { get; set; }
    public string? Split { get; set; }
    public string? Measure { get; set; }
    public string? Name { get; set; }
}

/// <summary><c>#!hn-reproduce experiments/quickstart [--store DIR] [--name experiment]</c></summary>
public sealed class HnReproduce : KernelCommand
{
    public string? Spec { get; set; }
    public string? Store { get; set; }
    public string? Name { get; set; }
}

/// <summary><c>#!hn-train --triples (negatives variable|file) [--base tiny:layers=2,dim=128] [--max-steps N] [--name model]</c></summary>
public sealed class HnTrain : KernelCommand
{
    public string? Triples { get; set; }
    public string? Base { get; set; }
    public int? MaxSteps { get; set; }
    public string? Name { get; set; }
}

/// <summary><c>#!hn-generate --dataset scifact --model M [--endpoint URL] [--backend openai] [--num-negatives 3] [--limit N] [--split train] [--concurrency 8] [--name negatives]</c></summary>
public sealed class HnGenerate : KernelCommand
{
    public string? Dataset { get; set; }
    public string? Model { get; set; }
    public string? Endpoint { get; set; }
    public string? Backend { get; set; }
    public int? NumNegatives { get; set; }
    public int? Limit { get; set; }
    public string? Split { get; set; }
    public int? Concurrency { get; set; }
    public string? Name { get; set; }
}
