using System.Collections.Concurrent;

namespace HardNegatives.Kernel.Engines.CSharp;

/// <summary>Hands a host object to the cell that declares it (<see cref="CSharpScriptEngine.SetVariableAsync"/>); each slot is taken once.</summary>
public static class VariableSlot
{
    static readonly ConcurrentDictionary<int, object> slots = new();
    static int next;

    internal static int Put(object value)
    {
        var slot = Interlocked.Increment(ref next);
        slots[slot] = value;
        return slot;
    }

    public static object Take(int slot) => slots.TryRemove(slot, out var value) ? value : throw new InvalidOperationException($"variable slot {slot} was already taken");
}
