import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import GetAppIcon from '@material-ui/icons/GetApp';
import { CodeSnippet } from '@backstage/core-components';
import {
  KubeObject,
  ObjectRef,
  toYaml,
} from '@prometheus-ocs/plugin-monitoring-common';
import { describeObject } from '../../utils/objects';
import { downloadText } from '../../utils/downloadText';

const ALL = 'all';

/**
 * The YAML of every planned object: all of them as one multi-document file,
 * or one at a time. Both can be copied or downloaded, e.g. for a GitOps PR.
 * A single object is serialized with the same `toYaml` as the backend's
 * multi-document text, so strings such as `yes` or `1:20` stay quoted for
 * YAML 1.1 readers (kubectl, GitOps tools) in both.
 */
export function YamlViewer(props: {
  yaml: string;
  objects: Array<ObjectRef & { manifest: KubeObject }>;
  fileName: string;
}) {
  const { yaml, objects, fileName } = props;
  const [selected, setSelected] = useState<string>(ALL);
  const index = selected === ALL ? -1 : Number(selected);
  const object = objects[index];
  const text = object ? toYaml([object.manifest]) : yaml;
  const downloadName = object
    ? `${object.kind.toLocaleLowerCase('en-US')}-${object.name}.yaml`
    : fileName;

  return (
    <Box>
      <Box display="flex" alignItems="center" mb={1} style={{ gap: 16 }}>
        <TextField
          id="monitoring-yaml-object"
          select
          label="Object"
          value={selected}
          onChange={e => setSelected(e.target.value)}
          variant="outlined"
          size="small"
          style={{ minWidth: 320 }}
        >
          <MenuItem value={ALL}>All objects ({objects.length})</MenuItem>
          {objects.map((o, i) => (
            <MenuItem key={i} value={String(i)}>
              {describeObject(o)}
            </MenuItem>
          ))}
        </TextField>
        <Button
          startIcon={<GetAppIcon />}
          onClick={() => downloadText(downloadName, text, 'application/yaml')}
        >
          Download {downloadName}
        </Button>
      </Box>
      <CodeSnippet
        text={text}
        language="yaml"
        showCopyCodeButton
        showLineNumbers
      />
    </Box>
  );
}
