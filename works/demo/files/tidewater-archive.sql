-- The demo's old archive: a tiny eFiction 3.5 dump written for this project (original text).
-- `manage.py load_demo` imports it as the collection "The Tidewater Archive": its works wait
-- for their authors to claim them at /works/import/claim. "Fennel Rowe" used the demo
-- author's email address, so logged in as the demo author you can claim that story.

/*!40101 SET NAMES utf8 */;

CREATE TABLE `fanfiction_authors` (
  `uid` int(11) NOT NULL AUTO_INCREMENT,
  `penname` varchar(200) NOT NULL DEFAULT '',
  `email` varchar(200) NOT NULL DEFAULT '',
  PRIMARY KEY (`uid`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_authors` (`uid`, `penname`, `email`) VALUES (1,'Fennel Rowe','demo_author@example.org'),(2,'brackwater','brackwater@example.net');

CREATE TABLE `fanfiction_categories` (
  `catid` int(11) NOT NULL AUTO_INCREMENT,
  `parentcatid` int(11) NOT NULL DEFAULT '-1',
  `category` varchar(60) NOT NULL DEFAULT '',
  PRIMARY KEY (`catid`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_categories` (`catid`, `parentcatid`, `category`) VALUES (1,-1,'Tidewater Tales');

CREATE TABLE `fanfiction_characters` (
  `charid` int(11) NOT NULL AUTO_INCREMENT,
  `catid` int(11) NOT NULL DEFAULT '0',
  `charname` varchar(60) NOT NULL DEFAULT '',
  PRIMARY KEY (`charid`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_characters` (`charid`, `catid`, `charname`) VALUES (1,1,'Wend Marlow'),(2,1,'The Ferryman');

CREATE TABLE `fanfiction_ratings` (
  `rid` int(11) NOT NULL AUTO_INCREMENT,
  `rating` varchar(60) NOT NULL DEFAULT '',
  PRIMARY KEY (`rid`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_ratings` (`rid`, `rating`) VALUES (1,'General Audiences');

CREATE TABLE `fanfiction_stories` (
  `sid` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(200) NOT NULL DEFAULT '',
  `summary` text,
  `storynotes` text,
  `catid` varchar(100) NOT NULL DEFAULT '0',
  `classes` varchar(200) DEFAULT NULL,
  `charid` varchar(250) NOT NULL DEFAULT '0',
  `rid` varchar(25) NOT NULL DEFAULT '0',
  `date` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `updated` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `uid` int(11) NOT NULL DEFAULT '0',
  `coauthors` varchar(200) DEFAULT NULL,
  `validated` char(1) NOT NULL DEFAULT '0',
  `completed` char(1) NOT NULL DEFAULT '0',
  PRIMARY KEY (`sid`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_stories` (`sid`, `title`, `summary`, `storynotes`, `catid`, `classes`, `charid`, `rid`, `date`, `updated`, `uid`, `coauthors`, `validated`, `completed`) VALUES
	(1,'The Ferry at Dusk','Wend misses the last ferry and the ferryman waits anyway.','My first story on the Tidewater Archive.','1','','1,2','1','2010-03-14 19:00:00','2010-04-02 20:30:00',1,NULL,'1','1'),
	(2,'Reed Baskets','Somebody leaves a basket of reeds on every doorstep in town.','','1','','1','1','2011-08-09 07:45:00','2011-08-09 07:45:00',2,NULL,'1','1');

CREATE TABLE `fanfiction_chapters` (
  `chapid` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(250) NOT NULL DEFAULT '',
  `inorder` int(11) NOT NULL DEFAULT '0',
  `notes` text NOT NULL,
  `storytext` text,
  `endnotes` text,
  `validated` char(1) NOT NULL DEFAULT '0',
  `sid` int(11) NOT NULL DEFAULT '0',
  `uid` int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (`chapid`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_chapters` (`chapid`, `title`, `inorder`, `notes`, `storytext`, `endnotes`, `validated`, `sid`, `uid`) VALUES
	(1,'Last Bell',1,'','The bell rang twice and the ferry pulled away without her.\n\nWend sat on the jetty with her shoes in her lap.',NULL,'1',1,1),
	(2,'Crossing',2,'','The ferryman came back at nine, alone, with the lamp lit.\n\n\"You were the only one left,\" he said, as if that settled it.','Thanks for reading.','1',1,1),
	(3,'Doorsteps',1,'','<p>The baskets were woven tight, each with a different knot.</p><p>Nobody admitted to making them.</p>',NULL,'1',2,2);
