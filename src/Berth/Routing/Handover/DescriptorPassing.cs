using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace Berth.Routing.Handover;

/// <summary>
/// Open file descriptors sent from one process to another over a Unix domain socket (SCM_RIGHTS), each message with
/// a text payload. What the old router hands the new one: its listening sockets, so not one queued connection is lost
/// (64-bit Linux: x64 and arm64 share these layouts).
/// </summary>
internal static class DescriptorPassing
{
    /// <summary>The kernel's limit of descriptors per message (SCM_MAX_FD) is 253.</summary>
    public const int MaxPerMessage = 250;

    private const int SolSocket = 1;
    private const int ScmRights = 1;
    private const int MsgCmsgCloexec = 0x40000000;
    private const int CmsgHeaderSize = 16;
    private const int FdGetFlags = 1;
    private const int FdSetFlags = 2;
    private const int FdCloseOnExec = 1;

    /// <summary>Sends <paramref name="text"/> with <paramref name="descriptors"/> (at most <see cref="MaxPerMessage"/>) in one message.</summary>
    public static void Send(int socket, string text, IReadOnlyList<int> descriptors)
    {
        ArgumentNullException.ThrowIfNull(descriptors);
        if (descriptors.Count > MaxPerMessage)
        {
            throw new ArgumentOutOfRangeException(nameof(descriptors), $"at most {MaxPerMessage} descriptors per message");
        }

        var payload = Encoding.UTF8.GetBytes(text);
        var controlLength = descriptors.Count == 0 ? 0 : CmsgSpace(descriptors.Count * sizeof(int));
        var data = GCHandle.Alloc(payload, GCHandleType.Pinned);
        var control = controlLength == 0 ? IntPtr.Zero : Marshal.AllocHGlobal(controlLength);
        var vector = Marshal.AllocHGlobal(Marshal.SizeOf<IoVector>());
        try
        {
            Marshal.StructureToPtr(new IoVector { Base = data.AddrOfPinnedObject(), Length = (nuint)payload.Length }, vector, fDeleteOld: false);
            WriteControl(control, controlLength, descriptors);
            var header = new MessageHeader { Vector = vector, VectorLength = 1, Control = control, ControlLength = (nuint)controlLength };
            if (NativeMethods.sendmsg(socket, ref header, 0) < 0)
            {
                throw new IOException($"sendmsg failed: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
            }
        }
        finally
        {
            data.Free();
            Marshal.FreeHGlobal(vector);
            if (control != IntPtr.Zero)
            {
                Marshal.FreeHGlobal(control);
            }
        }
    }

    /// <summary>Receives one message: its text and the descriptors it carried (close-on-exec set); an empty text at end of stream.</summary>
    public static (string Text, IReadOnlyList<int> Descriptors) Receive(int socket, int maxText = 64 * 1024)
    {
        var buffer = new byte[maxText];
        var controlLength = CmsgSpace(MaxPerMessage * sizeof(int));
        var data = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        var control = Marshal.AllocHGlobal(controlLength);
        var vector = Marshal.AllocHGlobal(Marshal.SizeOf<IoVector>());
        try
        {
            Marshal.StructureToPtr(new IoVector { Base = data.AddrOfPinnedObject(), Length = (nuint)buffer.Length }, vector, fDeleteOld: false);
            var header = new MessageHeader { Vector = vector, VectorLength = 1, Control = control, ControlLength = (nuint)controlLength };
            var received = NativeMethods.recvmsg(socket, ref header, MsgCmsgCloexec);
            if (received < 0)
            {
                throw new IOException($"recvmsg failed: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
            }

            var descriptors = ReadControl(control, (int)header.ControlLength);
            return (Encoding.UTF8.GetString(buffer, 0, (int)received), descriptors);
        }
        finally
        {
            data.Free();
            Marshal.FreeHGlobal(vector);
            Marshal.FreeHGlobal(control);
        }
    }

    /// <summary>
    /// Clears close-on-exec: .NET then closes the socket without shutting it down first (it leaves sockets that may be
    /// shared with another process alone), so the process that took it over keeps it working.
    /// </summary>
    public static void MarkShared(int descriptor)
    {
        var flags = NativeMethods.fcntl(descriptor, FdGetFlags, 0);
        if (flags >= 0)
        {
            NativeMethods.fcntl(descriptor, FdSetFlags, flags & ~FdCloseOnExec);
        }
    }

    /// <summary>Closes a descriptor that was received and not used.</summary>
    public static void Close(int descriptor) => NativeMethods.close(descriptor);

    private static int CmsgSpace(int length) => CmsgHeaderSize + ((length + 7) & ~7);

    private static void WriteControl(IntPtr control, int length, IReadOnlyList<int> descriptors)
    {
        if (control == IntPtr.Zero)
        {
            return;
        }

        for (var offset = 0; offset < length; offset++)
        {
            Marshal.WriteByte(control, offset, 0);
        }

        Marshal.WriteInt64(control, 0, CmsgHeaderSize + (descriptors.Count * sizeof(int)));
        Marshal.WriteInt32(control, 8, SolSocket);
        Marshal.WriteInt32(control, 12, ScmRights);
        for (var i = 0; i < descriptors.Count; i++)
        {
            Marshal.WriteInt32(control, CmsgHeaderSize + (i * sizeof(int)), descriptors[i]);
        }
    }

    private static List<int> ReadControl(IntPtr control, int length)
    {
        var descriptors = new List<int>();
        var offset = 0;
        while (offset + CmsgHeaderSize <= length)
        {
            var messageLength = (int)Marshal.ReadInt64(control, offset);
            if (messageLength < CmsgHeaderSize)
            {
                break;
            }

            if (Marshal.ReadInt32(control, offset + 8) == SolSocket && Marshal.ReadInt32(control, offset + 12) == ScmRights)
            {
                for (var at = CmsgHeaderSize; at + sizeof(int) <= messageLength; at += sizeof(int))
                {
                    descriptors.Add(Marshal.ReadInt32(control, offset + at));
                }
            }

            offset += CmsgSpace(messageLength - CmsgHeaderSize);
        }

        return descriptors;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public IntPtr Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public IntPtr Name;
        public uint NameLength;
        public IntPtr Vector;
        public nuint VectorLength;
        public IntPtr Control;
        public nuint ControlLength;
        public int Flags;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern nint sendmsg(int socket, ref MessageHeader message, int flags);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern nint recvmsg(int socket, ref MessageHeader message, int flags);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int fcntl(int descriptor, int command, int argument);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int close(int descriptor);
    }
}
