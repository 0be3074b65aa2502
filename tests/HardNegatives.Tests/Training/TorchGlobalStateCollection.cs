namespace HardNegatives.Tests.Training;

/// <summary>
/// Tests that seed and replay torch's process-wide random generator. xunit runs test classes in parallel, and any other
/// class drawing random numbers at the same time would change this class's dropout masks and initial weights, so these
/// run alone (DisableParallelization) and never beside another class. Every Training test class that touches torch joins it,
/// so that seeding here never disturbs other folders' seeded tests either.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalStateCollection
{
    public const string Name = "torch global random state";
}
