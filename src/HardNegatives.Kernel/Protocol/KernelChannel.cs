namespace HardNegatives.Kernel.Protocol;

/// <summary>The five Jupyter channels (heartbeat only echoes, so it never carries a <see cref="JupyterMessage"/>).</summary>
public enum KernelChannel { Shell, Control, Stdin, IoPub }
